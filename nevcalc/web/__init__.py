"""``nevcalc serve``: a local web page over the same answers as the command line.

================  ==========================================================
module            what
================  ==========================================================
``api``           ``/api/...``: a request's query read as the command's options,
                  answered with the JSON of ``--json`` (or a 4xx with its line)
``app``           the Starlette application, the static page, the server
``static/``       ``index.html``, ``app.js``, ``style.css``: plain JavaScript that
                  draws its figures as SVG; nothing fetched from the internet
================  ==========================================================

Starlette and uvicorn are the optional extra ``nevcalc[web]``; nothing else in
nevcalc imports this package, so the command line starts without them.
"""

__all__: list[str] = []
