/**
 * The data-plane state as JSON (docs/dataplane-state.md), the only place it is text: the wire
 * records mirror the document, {@link meshplane.dataplane.json.StateJson} reads (refusing unknown
 * fields and bad syntax, then validating) and writes it, and registers the same with any Jackson
 * mapper that embeds a state in a larger document.
 */
package meshplane.dataplane.json;
