"""Word lists for the synthetic benchmark library (see ``generate.py``).

Each language has function words, nouns, verbs, adjectives, some names, tags and a
few sentences that carry its *rare word* (a word that only a known share of the
articles contain, so that a search for it has a known answer). The lists are written
by hand in the language's own script: German with ``ä ö ü ß``, Russian with ``ё``,
Greek with the tonos, Chinese without spaces. A language without a list here gets a
made-up Latin-script vocabulary with accented letters (:func:`pseudo_vocabulary`).

Nothing here is random by itself; ``generate.py`` draws from these lists with a seeded
:class:`random.Random`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """The words one language's synthetic text is made of.

    Attributes:
        script: ``latin``, ``cyrillic``, ``greek`` or ``han``.
        spaced: Whether words are separated by spaces (``False`` for Chinese).
        function: Articles, prepositions, conjunctions and particles.
        nouns: Nouns (German ones capitalised).
        verbs: Finite verb forms.
        adjectives: Adjectives.
        names: Proper names (people, places); numbers are added by the generator.
        tags: Front matter tags.
        rare: The rare word (present in a known share of the articles only).
        rare_sentences: Sentences that contain ``rare``.
    """

    script: str
    spaced: bool
    function: tuple[str, ...]
    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    adjectives: tuple[str, ...]
    names: tuple[str, ...]
    tags: tuple[str, ...]
    rare: str
    rare_sentences: tuple[str, ...]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ENGLISH = Vocabulary(
    script="latin",
    spaced=True,
    function=_words(
        "the the the a a of of in in on for with after before while because and and but "
        "that which their this its to to from across despite although also not more than "
        "over under between during since without against among"
    ),
    nouns=_words(
        "government market research minister committee election economy energy climate "
        "university hospital budget border harbour village council company network river "
        "railway engineer farmer teacher student court report policy festival museum library "
        "mountain island bridge factory satellite vaccine harvest drought inflation currency "
        "treaty parliament province coastline archive manuscript orchestra software algorithm "
        "dataset reactor turbine pipeline shipping tariff pension neighbourhood journalist "
        "archaeologist telescope glacier wildfire monsoon startup laboratory semiconductor "
        "ministry survey region supply demand workers families tenants landlords voters "
        "scientists officials prosecutors residents visitors exports imports subsidies"
    ),
    verbs=_words(
        "announced reported approved rejected examined questioned expanded reduced delayed "
        "launched warned suggested confirmed revealed discussed published restored measured "
        "predicted negotiated invested struggled recovered doubled criticised welcomed "
        "postponed funded described"
    ),
    adjectives=_words(
        "new regional national local international economic public private historic rural "
        "urban remarkable uncertain significant ambitious fragile costly modest rapid gradual "
        "independent coastal northern southern digital scientific cultural annual former "
        "cautious"
    ),
    names=_words(
        "Lisbon Nairobi Ottawa Hamilton Whitfield Okonkwo Brennan Callahan Patel Riverside "
        "Ashford Kimura Delgado Fairbanks Moreno"
    ),
    tags=_words("politics economy science culture climate technology health world"),
    rare="serendipity",
    rare_sentences=(
        "It was a small serendipity for the committee.",
        "Officials called the discovery a serendipity rather than a plan.",
        "Serendipity, not strategy, explained the result.",
    ),
)

GERMAN = Vocabulary(
    script="latin",
    spaced=True,
    function=_words(
        "der der die die das das ein eine und und mit für über nach auch nicht zwischen "
        "während weil dass bei aus im am zum gegen trotz ohne seit durch vom noch schon sehr "
        "für über"
    ),
    nouns=_words(
        "Regierung Bürger Gebäude Prüfung Förderung Größe Märkte Straße Grundstück Übergang "
        "Gemeinde Haushalt Wähler Behörde Forschung Wirtschaft Hochschule Krankenhaus "
        "Öffentlichkeit Flüchtlinge Gewässer Küste Brücke Bahnhof Zuständigkeit "
        "Verkehrsministerium Bundesländer Gesundheitswesen Ausschuss Vorschlag Entscheidung "
        "Bevölkerung Schätzung Stromnetz Wärmepumpe Kläranlage Gebühren Bürgermeisterin "
        "Erklärung Überprüfung Maßnahme Fußgängerzone Gletscher Hafen Vertrag Währung "
        "Ernte Dürre Teuerung Rentner Mieter Universität Abgeordnete Gerichtshof Lösung "
        "Störung Verfügung Gemüse Bäckerei Schüler Lehrerin"
    ),
    verbs=_words(
        "erklärt verschärft überprüft fördert kündigte müssen können fordert beschloss "
        "verzögert stärkt veröffentlichte wählte genehmigte lehnte untersucht schätzt warnt "
        "berichtet begrüßt erhöht senkt prüft"
    ),
    adjectives=_words(
        "öffentliche künftige schwierige große grüne mögliche ländliche städtische jährliche "
        "wirtschaftliche südliche nördliche höhere niedrigere erhebliche unabhängige "
        "digitale gemeinsame frühere ökologische süße schöne"
    ),
    names=_words(
        "München Köln Düsseldorf Lübeck Müller Schröder Köhler Jäger Weiß Groß Bäcker "
        "Görlitz Würzburg Fröhlich Strauß"
    ),
    tags=_words("Politik Wirtschaft Wissenschaft Kultur Klima Technik Gesundheit Ausland"),
    rare="Überraschung",
    rare_sentences=(
        "Die Überraschung war groß.",
        "Für viele Bürger war das Ergebnis eine Überraschung.",
        "Eine Überraschung blieb trotz aller Prüfung nicht aus.",
    ),
)

RUSSIAN = Vocabulary(
    script="cyrillic",
    spaced=True,
    function=_words(
        "и и в в на на с по для после до что который но также не из о между при за от к "
        "как уже ещё его их этот"
    ),
    nouns=_words(
        "правительство рынок исследование министр комитет выборы экономика энергия климат "
        "университет больница бюджет граница порт деревня совет компания сеть река "
        "инженер учитель студент суд доклад политика фестиваль музей библиотека гора остров "
        "мост завод спутник вакцина урожай засуха инфляция валюта договор парламент область "
        "побережье архив рукопись оркестр программа алгоритм реактор турбина трубопровод "
        "пошлина пенсия журналист телескоп ледник пожар лаборатория ёлка объём подъём "
        "жители чиновники избиратели"
    ),
    verbs=_words(
        "объявил сообщил одобрил отклонил изучил расширил сократил отложил запустил "
        "предупредил подтвердил опубликовал восстановил обсудили предсказал инвестировал "
        "вырос снизился потребовал"
    ),
    adjectives=_words(
        "новый региональный национальный местный международный экономический общественный "
        "исторический сельский городской значительный неопределённый хрупкий быстрый "
        "независимый прибрежный северный южный цифровой научный культурный ежегодный "
        "железная"
    ),
    names=_words(
        "Москва Казань Новосибирск Иванов Смирнова Кузнецов Соколова Лебедев Ёлкин "
        "Петрозаводск Воронеж Щербаков"
    ),
    tags=_words("политика экономика наука культура климат технологии здоровье мир"),
    rare="неожиданность",
    rare_sentences=(
        "Это стало неожиданностью для комитета.",
        "Главная неожиданность года оказалась в докладе.",
        "Для жителей это была приятная неожиданность.",
    ),
)

GREEK = Vocabulary(
    script="greek",
    spaced=True,
    function=_words(
        "και και το το η ο της του των στην στο με για από μετά πριν ενώ επειδή αλλά που "
        "ότι δεν σε κατά μεταξύ επίσης πολύ"
    ),
    nouns=_words(
        "κυβέρνηση αγορά έρευνα υπουργός επιτροπή εκλογές οικονομία ενέργεια κλίμα "
        "πανεπιστήμιο νοσοκομείο προϋπολογισμός σύνορα λιμάνι χωριό συμβούλιο εταιρεία "
        "δίκτυο ποτάμι σιδηρόδρομος μηχανικός αγρότης δάσκαλος φοιτητής δικαστήριο έκθεση "
        "πολιτική φεστιβάλ μουσείο βιβλιοθήκη βουνό νησί γέφυρα εργοστάσιο δορυφόρος "
        "εμβόλιο σοδειά ξηρασία πληθωρισμός νόμισμα συνθήκη βουλή περιφέρεια ακτή αρχείο "
        "χειρόγραφο ορχήστρα λογισμικό αλγόριθμος αγωγός σύνταξη δημοσιογράφος τηλεσκόπιο "
        "παγετώνας πυρκαγιά εργαστήριο ημιαγωγός κάτοικοι ψηφοφόροι"
    ),
    verbs=_words(
        "ανακοίνωσε ανέφερε ενέκρινε απέρριψε εξέτασε επέκτεινε μείωσε καθυστέρησε ξεκίνησε "
        "προειδοποίησε επιβεβαίωσε δημοσίευσε αποκατέστησε συζήτησαν προέβλεψε επένδυσε "
        "αυξήθηκε ζήτησε"
    ),
    adjectives=_words(
        "νέα περιφερειακή εθνική τοπική διεθνής οικονομική δημόσια ιστορική αγροτική αστική "
        "σημαντική αβέβαιη εύθραυστη γρήγορη ανεξάρτητη παράκτια βόρεια νότια ψηφιακή "
        "επιστημονική πολιτιστική ετήσια"
    ),
    names=_words(
        "Αθήνα Θεσσαλονίκη Πάτρα Ηράκλειο Παπαδόπουλος Γεωργίου Νικολάου Καραγιάννη "
        "Βόλος Ιωάννινα Χανιά Δημητρίου"
    ),
    tags=_words("πολιτική οικονομία επιστήμη πολιτισμός κλίμα τεχνολογία υγεία κόσμος"),
    rare="έκπληξη",
    rare_sentences=(
        "Η έκπληξη ήταν μεγάλη για την επιτροπή.",
        "Για τους κατοίκους ήταν μια ευχάριστη έκπληξη.",
        "Η μεγαλύτερη έκπληξη της χρονιάς ήρθε από την έκθεση.",
    ),
)

CHINESE = Vocabulary(
    script="han",
    spaced=False,
    function=_words(
        "的 的 的 在 在 和 与 对 为 从 但是 因为 所以 也 已经 将 被 把 之后 之前 同时 并且 更"
    ),
    nouns=_words(
        "政府 市场 研究 部长 委员会 选举 经济 能源 气候 大学 医院 预算 边境 港口 村庄 理事会 "
        "公司 网络 河流 铁路 工程师 农民 教师 学生 法院 报告 政策 节日 博物馆 图书馆 山区 岛屿 "
        "大桥 工厂 卫星 疫苗 收成 干旱 通货膨胀 货币 条约 议会 省份 海岸线 档案馆 手稿 乐团 "
        "软件 算法 数据集 反应堆 涡轮机 管道 航运 关税 养老金 记者 考古学家 望远镜 冰川 山火 "
        "季风 初创企业 实验室 半导体 人工智能 研究所 训练技术 居民 官员 选民"
    ),
    verbs=_words(
        "宣布 报道 批准 拒绝 审查 扩大 减少 推迟 启动 警告 建议 确认 披露 讨论 发布 恢复 测量 "
        "预测 谈判 投资 增长 下降 要求"
    ),
    adjectives=_words(
        "新的 地区 国家 地方 国际 公共 历史性 农村 城市 重要 不确定 脆弱 快速 独立 沿海 北部 "
        "南部 数字 科学 文化 年度"
    ),
    names=_words("北京 上海 广州 成都 王伟 李娜 张敏 刘洋 陈静 杨磊 黄河 长江 深圳 杭州"),
    tags=_words("政治 经济 科学 文化 气候 科技 健康 国际"),
    rare="意外惊喜",
    rare_sentences=(
        "这对委员会来说是一个意外惊喜。",
        "对居民来说，这是一个意外惊喜。",
        "年度报告中出现了一个意外惊喜。",
    ),
)

FRENCH = Vocabulary(
    script="latin",
    spaced=True,
    function=_words(
        "le la les un une de des du et et dans pour avec après avant pendant parce que mais "
        "qui sur entre aussi ne pas plus"
    ),
    nouns=_words(
        "gouvernement marché recherche ministre comité élection économie énergie climat "
        "université hôpital budget frontière port village conseil entreprise réseau rivière "
        "ingénieur agriculteur enseignant étudiant tribunal rapport politique musée "
        "bibliothèque montagne île pont usine satellite vaccin récolte sécheresse monnaie "
        "traité assemblée région côte archives orchestre logiciel algorithme électeurs"
    ),
    verbs=_words(
        "annonce publie rejette examine élargit réduit retarde lance avertit confirme "
        "révèle discute restaure mesure prévoit négocie investit"
    ),
    adjectives=_words(
        "nouveau régional national local international économique public privé historique "
        "rural urbain remarquable incertain important ambitieux fragile coûteux modeste "
        "rapide indépendant côtier numérique scientifique culturel annuel"
    ),
    names=_words("Paris Lyon Genève Montréal Dubois Lefèvre Gérard Béatrice Hélène Nîmes"),
    tags=_words("politique économie science culture climat technologie santé monde"),
    rare="étonnement",
    rare_sentences=(
        "L'étonnement fut général au comité.",
        "Pour les habitants, ce fut un étonnement.",
    ),
)

SPANISH = Vocabulary(
    script="latin",
    spaced=True,
    function=_words(
        "el la los las un una de del y y en para con después antes durante porque pero que "
        "sobre entre también no más"
    ),
    nouns=_words(
        "gobierno mercado investigación ministro comité elección economía energía clima "
        "universidad hospital presupuesto frontera puerto pueblo consejo empresa red río "
        "ingeniero agricultor maestra estudiante tribunal informe política museo biblioteca "
        "montaña isla puente fábrica satélite vacuna cosecha sequía moneda tratado congreso "
        "región costa archivo orquesta algoritmo votantes años niños"
    ),
    verbs=_words(
        "anunció informó aprobó rechazó examinó amplió redujo retrasó lanzó advirtió confirmó "
        "reveló discutió publicó restauró midió predijo negoció invirtió"
    ),
    adjectives=_words(
        "nuevo regional nacional local internacional económico público privado histórico "
        "rural urbano notable incierto importante ambicioso frágil costoso modesto rápido "
        "independiente costero digital científico cultural anual"
    ),
    names=_words("Madrid Sevilla Bogotá Córdoba Muñoz Peña Jiménez Núñez Ibáñez Cádiz"),
    tags=_words("política economía ciencia cultura clima tecnología salud mundo"),
    rare="sorpresa",
    rare_sentences=(
        "La sorpresa fue grande para el comité.",
        "Para los vecinos fue una sorpresa.",
    ),
)

VOCABULARIES: dict[str, Vocabulary] = {
    "en": ENGLISH,
    "de": GERMAN,
    "ru": RUSSIAN,
    "el": GREEK,
    "zh": CHINESE,
    "fr": FRENCH,
    "es": SPANISH,
}

_SYLLABLES = _words(
    "ka lo ven mar ti sa ber gu ro nel dra vi to len ré sé ña mí ló ú à è ç ä ö ü ta ne "
    "pa si mu ko ri da fe gi ho"
)


def pseudo_vocabulary(language: str) -> Vocabulary:
    """A made-up Latin-script vocabulary with accented letters, for an unlisted language.

    Deterministic for a given ``language``.
    """
    rng = random.Random(f"pseudo:{language}")

    def word(low: int, high: int) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(low, high)))

    def many(count: int, low: int, high: int) -> tuple[str, ...]:
        return tuple(word(low, high) for _ in range(count))

    rare = "zéphyrinàl"
    return Vocabulary(
        script="latin",
        spaced=True,
        function=many(25, 1, 1),
        nouns=many(80, 2, 4),
        verbs=many(25, 2, 3),
        adjectives=many(25, 2, 4),
        names=tuple(w.capitalize() for w in many(12, 2, 3)),
        tags=many(8, 2, 3),
        rare=rare,
        rare_sentences=(f"{word(2, 3).capitalize()} {rare} {word(2, 3)}.",),
    )


def vocabulary(language: str) -> Vocabulary:
    """The vocabulary for ``language`` (a made-up one if none is written here)."""
    found = VOCABULARIES.get(language.split("-")[0].lower())
    return found if found is not None else pseudo_vocabulary(language)
