"""An event's discrepancy report, from the engine's answer to what people receive: one typed object
(``EventDiscrepancies``) built once, cached per process, and shown three ways.

- ``build``: the engine's reports of an event -> ``EventDiscrepancies`` (with relays and scope names).
- ``narrative``: the headline of a group, one or two sentences (pure).
- ``chart``: range plots as standalone SVG, from plain rows (pure).
- ``views``: the typed report -> the chart's rows and the page's context (pure).
- ``page``: the HTML page: the event, its cached report and the documents behind the claims.
- ``cache``: the per-process cache of typed reports (and their JSON), checked against the event's
  change token; the JSON, the chart and the page are all served from it.
"""
