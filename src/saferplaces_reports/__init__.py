"""Documents for people: charts, tables, workbooks and PDFs built from ``crimestats`` results.

Free of Django and of the database, so the web app and the command line (``saferplaces
assessment build``) render the same charts and tables the same way.
"""
