"""Heatmaps of where people click on a page: points from stored events and signals
(``points``), drawn as a transparent PNG overlay with Pillow (``draw``)."""
