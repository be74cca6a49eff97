"""Proposals decided between meetings (issue 27, point 3), in the spirit of Loomio.

A proposal is put to the steering group (its seats and the secretariat see it) or to all member
institutions (network matters); it has a text, a deadline and a quorum. Who may vote is a rules
predicate (rules.py): on a steering-group proposal every current seat has one vote; on a network
proposal every member institution has one vote, cast by whichever of its members votes first (she
holds it, and may change it, until the deadline; her colleagues see who cast it). Votes are agree,
abstain, disagree or block, with an optional reason; anyone who sees the proposal may comment while
it is open. At the deadline (tasks.py, every five minutes) or when the secretariat closes it, the
outcome (agreed, not agreed, blocked, no quorum) is recorded once as a `meetings.Decision` in the
register, under the meeting it is reported to (a decision per capsulam is reported at the next
meeting), linked to the proposal and its votes.

Modules: models.py (Proposal, Vote, ProposalComment; imported by meetings/models.py, so the models
are `meetings.Proposal` and so on), rules.py, selectors.py, services.py (every write), forms.py,
views.py, urls.py (included by meetings/urls.py), reminders.py (the outbox kinds: the notice of a
new proposal, the reminder to those who have not voted, the notice of the outcome), tasks.py,
admin.py. May import: network, and the meetings app's models, selectors and rules.
"""
