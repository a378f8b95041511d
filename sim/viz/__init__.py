"""The browser view: the scenario live in Mesa's SolaraViz, served offline. Only the CLI imports it."""
