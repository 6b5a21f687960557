"""The report's style sheet: plain CSS, no web fonts, nothing loaded from the network."""

#: Inlined in the page's <style> element.
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 0; background: #f6f7f9; color: #1d2330; line-height: 1.45; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 60px; background: #fff;
       box-shadow: 0 0 12px rgba(0,0,0,.06); }
h1 { font-size: 1.7em; margin: .2em 0 .1em; }
h2 { font-size: 1.25em; margin-top: 2.2em; padding-bottom: .25em; border-bottom: 2px solid #e3e6ec; }
h3 { font-size: 1.02em; margin: 1.2em 0 .4em; }
p.lead { color: #4a5263; margin-top: 0; }
nav { font-size: .92em; margin: 1em 0 0; }
nav a { margin-right: 1.1em; color: #2456a6; text-decoration: none; }
table { border-collapse: collapse; margin: .6em 0 1em; font-size: .9em;
        font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e8ee; text-align: right; }
th { background: #f0f2f6; font-weight: 600; }
td.l, th.l { text-align: left; }
tr.best td, td.bestcell { background: #fff4c2; font-weight: 600; }
details { margin: .5em 0 1em; }
summary { cursor: pointer; color: #2456a6; font-size: .92em; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eceef2; }
figcaption { font-size: .88em; color: #555d6e; margin-top: .3em; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
         gap: 10px; margin: 1em 0; }
.fact { background: #f4f6fa; border-radius: 6px; padding: 8px 12px; }
.fact b { display: block; font-size: 1.25em; }
.fact span { font-size: .82em; color: #5a6272; }
.note { font-size: .88em; color: #555d6e; }
.scroll { overflow-x: auto; }
footer { margin-top: 3em; font-size: .82em; color: #7a8190; }
"""
