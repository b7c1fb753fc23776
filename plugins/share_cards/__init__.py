from share_cards.draw import CardText, draw_card, draw_logo
from share_cards.plugin import ShareCard, register

__all__ = ["CardText", "ShareCard", "draw_card", "draw_logo", "register"]
