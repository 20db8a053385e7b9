"""The live preview: `kamerbrief preview FILE` serves one letter's pages on localhost.

render.py runs in one long-lived worker process (WeasyPrint, fonts and stylesheets stay
loaded): letter file -> PDF -> page images, text and problems. worker.py keeps that process
(restarted after a crash or a change of templates). guides.py turns layout numbers into the
boxes of the layout overlay. server.py is the Starlette app: the page, its state fragment,
server-sent events, the page images; watch.py tells it when a file the build reads changes.
"""
