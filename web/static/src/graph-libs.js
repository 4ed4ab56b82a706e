// Entry for the graph page's libraries: exposes cytoscape with the fcose layout registered.
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";

cytoscape.use(fcose);
window.cytoscape = cytoscape;
