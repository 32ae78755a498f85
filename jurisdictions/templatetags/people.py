"""`{{ user|person }}`: a person by real name, never by login name (jurisdictions/people.py);
`{{ event.rule|rule_label }}`: a recorded rule path in words (jurisdictions/rules_wording.py)."""

from django import template

from jurisdictions.people import person_name
from jurisdictions.rules_wording import rule_label

register = template.Library()
register.filter("person", person_name)
register.filter("rule_label", rule_label)
