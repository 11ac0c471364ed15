"""Pictures drawn on the server as SVG: the visits timeline, the world map and an official's counterparts.

Each module turns counts that the pages already compute (the facet counts
of `visits.facets`, cached like them) into the geometry of a picture; the
templates in templates/visits/includes/_*.html draw it. No script, no
inline style: colours are classes of static/visits/site.css.
"""
