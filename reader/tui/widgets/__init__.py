"""The widgets the screens are made of: the article body and its layout, the article
list, the title and key bars, and the text drawing they share."""
