"""The report page: turns a report into what a person reads, and a submitted form into documents.

Nothing here imports a web framework: `service.api.pages` wires these functions to routes, and
the triage views can reuse the same view model and templates for a stored report.
"""
