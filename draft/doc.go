// Package draft turns saved news articles into a draft briefing that a
// curator only has to check. It is a pipeline of small steps, each tested
// on its own and scored together against a gold set of real articles:
//
//   - text: the article's lines, with site chrome (navigation, tickers,
//     subscribe footers, disclaimers, view counters) set aside, from a plain
//     text clipping (Plain) or a saved HTML page (HTML);
//   - language (Language);
//   - dates with their evidence (Dates), and the event's date chosen among
//     them (EventDate): page clocks and publication stamps are not the event;
//   - officials through the registry's spellings, folded as the store folds
//     them, and people outside the registry as written (Officials);
//   - place, kind and figures (Place, Kind, Figures);
//   - sources (Source).
//
// Extract runs the steps over one or more articles about one event and
// gives a Draft: every field with where it was found and whether the
// extractor is sure of it. Write prints the Draft as a briefing marked
// status: draft, with a draft block listing what to verify.
//
// The package never guesses: a field it cannot find is left empty and
// flagged, and every figure is copied as written.
package draft
