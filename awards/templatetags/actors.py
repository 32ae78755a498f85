"""How a recorded actor reads on a page (the clock's moves say so, never show a login name)."""

from django import template

from awards.system_actor import actor_label

register = template.Library()
register.filter("actor_label", actor_label)
