"""The one registry of column descriptions: one description per column name, for every table.

Every table dictionary (the documents, segments, spans, claims and checks tables, the manifest, the
series and disagreements tables of notebook 06, the figure tables of notebook 05) is built from
:data:`FIELDS` with :func:`table_columns`, which takes the table's column names in order and never a
description: a column means the same in every table it appears in, so where one name stands for
related things in different tables (the manifest's curated `outlet` and the documents table's resolved
one; a claim's `damaged` flag and a span's count of damaged characters) its one description says so.
A notebook may describe only the columns that exist nowhere else. `tests/test_fields.py` checks it.

Descriptions of the attribution columns are read from :mod:`aidlab.attribution` (its
ATTRIBUTION_COLUMNS and DOCUMENT_DATE_COLUMNS), except for the names it shares with other tables in
another sense (:data:`ATTRIBUTION_SHARED`), whose description here starts from attribution's text.
Numbers that belong to another module (thresholds of loading and republication, the check kinds of
reconcile) are written out, because those modules build their tables from this one; the test checks
them against the constants.
"""
from __future__ import annotations

from collections.abc import Iterable

from .attribution import ATTRIBUTION_COLUMNS, DOCUMENT_DATE_COLUMNS
from .claims.intervals import QUALIFIER_READINGS
from .text.segment import SEGMENT_KINDS

_READINGS = "; ".join(f"{k} = {d}" for k, d in {v[0]: v[1].split(": ", 1)[1] for v in QUALIFIER_READINGS.values()}.items())
_ATTRIBUTION = {**ATTRIBUTION_COLUMNS, **DOCUMENT_DATE_COLUMNS}

#: Attribution column names other tables use in a wider sense: their description here extends attribution's.
ATTRIBUTION_SHARED = ("programme", "quantity_key")

#: Check kinds as named in the `kind` description (aidlab.checks.KINDS; the test keeps them equal).
CHECK_KIND_NAMES = ("grim", "range", "parts_total", "change", "repeat", "cross_document", "cross_series",
                    "cross_part_whole", "republication")

FIELDS: dict[str, str] = {
    # --- documents (loading, cleaning, the built documents table) ---------------------------------
    "doc_id": "Document id: the file name without its suffix (the file stem).",
    "path": "Path of the file as it was read.",
    "bytes": "Size of the file in bytes (in the manifest: when the file entered the corpus).",
    "sha256": "SHA-256 of the file's bytes (in the manifest: when the file entered the corpus; loading refuses a file "
              "that no longer matches).",
    "encoding": "Detected text encoding (utf-8, utf-8-sig, gb18030, big5, utf-16-le/be, …); empty when undecodable.",
    "encoding_confidence": "How sure the encoding is, 0–1: 1.0 for a byte-order mark or strict UTF-8; for a guessed "
                           "encoding (BOM-less UTF-16 by its byte pattern, GB18030 or Big5) the share of expected "
                           "characters × the share of common Chinese characters (GB2312 level 1, after Traditional → "
                           "Simplified), reduced when a rival decoding scores close or when fewer than "
                           "8 non-ASCII characters give evidence; empty when undecodable.",
    "encoding_flag": "'low-confidence' when encoding_confidence < 0.8 (check the page by eye); empty otherwise.",
    "bom": "True when the file starts with a byte-order mark (which is not part of the text).",
    "script": "Chinese script of the whole raw page: simplified, traditional, mixed or undetermined (see aidlab.text.script.SCRIPTS).",
    "checksum": "ok = matches the manifest; unlisted = folder has a manifest that does not list the file; "
                "no-manifest = folder has none; unchecked = the page was refused before its checksum mattered.",
    "usable": "False when the page could not be read as text (`problem` says why) or, in the built documents table, "
              "failed while being processed; its counts are then 0 and it contributes no rows to the other tables.",
    "problem": "Why the page is unusable: the loading problem (empty file, binary content, undecodable bytes, implausible "
               "decoding, over the size limit, link out of the corpus folder, unreadable) or, in the built documents "
               "table, the error raised while processing it (exception type: message); empty when usable.",
    "text": "The text the row stands for. Loaded documents (read_documents): the decoded raw page text, unmodified, into "
            "which every raw_* offset indexes. Segments: the segment's cleaned text. Claims, series and figure tables: "
            "the claim as it stands in the clean text (qualifier, number, multiplier, unit, trailing qualifier), "
            "a quotation, Chinese in both languages.",
    "body_script": "Script of the clean article text after conversion (should be simplified or undetermined).",
    "title": "Headline read from the page, or taken from the manifest; 'unknown' when neither states it.",
    "title_source": "page, manifest or unknown.",
    "published": "Publication date, ISO YYYY-MM-DD. In the manifest: curated, overriding the page's dateline (blank = not "
                 "curated). In the documents and figure tables: the curated date, else the page's dateline; 'unknown' "
                 "when neither gives one (published_source says which).",
    "published_source": "page, manifest or unknown.",
    "outlet": "The news outlet (来源/转自) that published the article. In the manifest: curated, overriding what cleaning "
              "reads (blank = not curated). In the documents and figure tables: the curated outlet, else the one read "
              "from the page; 'unknown' when neither states it (outlet_source says which).",
    "outlet_source": "page, manifest or unknown.",
    "author": "Reporter/author from the page's byline or sign-off; 'unknown' otherwise.",
    "raw_chars": "Characters of the raw page.",
    "body_chars": "Characters of the clean article text (headline + body).",
    "chrome_chars": "Characters of the cleaned page classified as page chrome (not headline or body).",
    "segments": "Number of line segments the page was split into.",
    "annotations_removed": "Pinyin annotations removed by cleaning (e.g. 醫(yī) → 医).",
    "corrupt_spans": "Spans of byte-shifted GBK mojibake detected.",
    "repaired_spans": "Of those, spans whose repair was accepted (high confidence) and used in the clean text.",
    "damaged_digits": "Characters whose numeric value is unknown because of a lost byte (lost-byte marks and the digits next to them).",
    # --- manifest (curated fields, carried into the documents table) --------------------------------
    "file": "File name inside the corpus folder (the document id is its stem).",
    "aiding_party": "Curated: who gives the aid (province, city or institution), Chinese name.",
    "aiding_party_en": "Curated: English name of the aiding party.",
    "recipient_region": "Curated: the region that receives the aid, Chinese name.",
    "recipient_region_en": "Curated: English name of the recipient region.",
    "notes": "Curated: free-text remarks of the researcher.",
    # --- segments and corrupt spans ------------------------------------------------------------------
    "segment": "Position of the segment in the page (0-based).",
    "kind": "What kind of row it is, in its table's vocabulary. A segment (segments table, figure 1): "
            + "; ".join(f"{k} = {v}" for k, v in SEGMENT_KINDS.items())
            + " A check (checks, disagreements and check tables): within a page grim, range, parts_total, change, "
              "repeat; across pages cross_document, cross_series, cross_part_whole, republication (each defined in "
              "aidlab.checks.KINDS and under 'Check kinds' in docs/data_dictionary.md).",
    "reason": "Why the row is classified as it is: for a segment, the rule that assigned its kind; for a corrupt span, "
              "its detection signals (lost-byte, symbol-run, rare-chars …).",
    "raw_start": "Offset of the first raw-page character the row's segment, span or claim derives from (decoded text, not bytes).",
    "raw_end": "Offset just after the last raw-page character the row's segment, span or claim derives from.",
    "chars": "Characters of the cleaned page in the row's segment (segments table), or in all the document's segments "
             "of the row's kind (figure 1).",
    "span": "Position of the corrupt span in the document (0-based).",
    "original": "The corrupted raw text, exactly as scraped.",
    "candidate": "Best repair found (Simplified, `?` where bytes were lost), even when not accepted.",
    "confidence": "Confidence of the candidate repair, 0–1.",
    "accepted": "True when the repair replaced the span in the clean text.",
    "damaged": "Damage by a lost byte. Claims and figure tables: True when the claim touches a character lost to "
               "mojibake, or when no rule reads its number with certainty (reading unread: 不到0, 0余, 零零): its value "
               "is unknown and only bounded. Spans table: the number of the span's characters whose numeric value is "
               "unknown (lost-byte marks and adjacent digits).",
    "damaged_text": "Those characters, in order.",
    # --- claims ----------------------------------------------------------------------------------------
    "claim_id": "Claim id, unique in the corpus: <doc_id>#<n>, n counting claims of the document from 1 in text order.",
    "number": "The number as written (Arabic digits, the Chinese numeral, or a written form: 百分之三十, 四分之一, 3-5, "
              "5万至6, 三四十, 十几, 一零零), before the multiplier written after it; kept as text so its precision "
              "(42.20 vs 42.2) survives and the bounds can be recomputed exactly from it.",
    "multiplier": "10**4 for 万, 10**8 for 亿, 10**3 for 千 written after Arabic digits; 10 for 成 (tenths, counted in %); "
                  "1 otherwise. For a range the multiplier after it (5至6万 → 10**4) also applies to the low end unless "
                  "that end carries its own.",
    "value": "The claim's point value: number × multiplier (51.4万 → 514000); for a form naming several values (a range, "
             "三四十, 十几) its low end. Empty (NaN) when damaged or unread. In the per-expert table (figure 2b): the "
             "numerator's value divided by the denominator's.",
    "low": "Lowest true value the text allows under the qualifier's reading and the written precision (see `reading`); "
           "never infinite, 0 is the floor. A float in the series and figure tables (for drawing; verdicts use exact "
           "bounds). In the per-expert table (figure 2b): the ratio's low end, numerator low / denominator high.",
    "high": "Highest true value the text allows; +inf when unbounded above (超过, 以上). In the per-expert table "
            "(figure 2b): the ratio's high end, numerator high / denominator low.",
    "low_inclusive": "True when `low` itself is possible.",
    "high_inclusive": "True when `high` itself is possible.",
    "unit": "Measure word or unit after the number (名, 人次, 台次, 批次, 项, 个, 家, 元, %, /10万 …); % for 百分之…, "
            "A分之B and 成, ‰ for 千分之…; for a claim with no unit after it, the unit ending the words before it "
            "(门诊诊疗人次超3000万 → 人次).",
    "qualifier": "The qualifier word(s) around the number (超过, 近, 余, 多, 以上, 左右, 上 of 上千, 数 of 数百 …); "
                 "empty when exact as written.",
    "reading": "How the claim is read into [low, high]: the qualifier's reading when there is a qualifier, else the "
               "written form's (point for a plain number): " + _READINGS
               + "; damaged = a lost leading digit (one lost byte swallows one ASCII digit): the number is read with "
                 "that digit anywhere from 1 to 9. In the per-expert table (figure 2b): point when both claims are "
                 "point, else range.",
    "metric": "What the claim counts, key of the taxonomy in aidlab.claims.taxonomy.METRICS (other when unsure); in the "
              "per-expert table (figure 2b), the numerator's.",
    "subject": "The words naming what is counted: the noun after the unit if there is one (206名专家 → 专家), else the "
               "words before the number in its clause (接诊患者51.4万人次 → 接诊患者).",
    "scope": "Time scope stated in the sentence (3年来, 2024年, 截至2018年底, 2019年以来); empty when none.",
    "section": "headline or body.",
    "sentence": "The sentence of the clean text the claim stands in.",
    "sentence_no": "Index of that sentence in the clean text (0-based).",
    "clean_start": "Offset of the claim's first character in the clean article text.",
    "clean_end": "Offset just after the claim's last character in the clean article text.",
    "raw_text": "The raw page between raw_start and raw_end, untouched (Traditional script, pinyin and mojibake as scraped).",
    # --- attribution (read from aidlab.attribution; two names widened for the other tables) -----------
    **{k: v for k, v in _ATTRIBUTION.items() if k not in ATTRIBUTION_SHARED},
    "programme": "Programme key. Claims table: " + ATTRIBUTION_COLUMNS["programme"]
                 + " Manifest, documents and figure tables: the curated programme type of the page, one of the keys of "
                   "aidlab.corpus.manifest.PROGRAMMES (a different, coarser vocabulary: tibet, xinjiang, …); blank when not curated.",
    "quantity_key": ATTRIBUTION_COLUMNS["quantity_key"]
                    + " In checks, series and disagreements tables: the quantity key the claims share (for part and whole "
                      "across documents, the key with programme, recipient and aiding parts blanked: "
                      "*|*|*|metric|unit family|scope); empty for within-document checks.",
    # --- republication -----------------------------------------------------------------------------
    "republication_group": (
        "Republication group: the doc_id of the earliest-dated page (else the smallest doc_id) among the pages "
        "that carry the same article (wire copy, mirrors, a copy with spam lines interleaved): the smaller page's "
        "character 5-grams are at least 70% contained in the larger's "
        "(MinHash LSH Ensemble candidates, verified exactly). A page republished nowhere is its own group."
    ),
    # --- checks ------------------------------------------------------------------------------------
    "check_id": "Check id: <kind>-<n>, n counting checks of that kind in the table from 1.",
    "verdict": "consistent (the claims can all be true together under the stated reading), inconsistent (they cannot), "
               "indeterminate (the text does not decide: damaged claims, ambiguous readings, or nothing to check "
               "against). The disagreements table keeps only inconsistent and indeterminate.",
    "outcome": "Finer result: e.g. ordinary_rounding, truncation_only, no_rounding_mode; complete, partial, exceeds, "
               "damaged; baseline_derived, baseline_agrees, baseline_disagrees, ambiguous_pp_vs_relative, direction_ok, "
               "direction_wrong; agree, agree_at_point, disjoint, undated; series_grows, series_touches, series_drops; "
               "part_exceeds_whole; republished, wording_changed, figure_changed.",
    "doc_ids": "Documents involved, ';'-separated.",
    "claim_ids": "Claims involved, ';'-separated, in the order the arithmetic uses them.",
    "arithmetic": "The computation behind the verdict, with intervals written [low, high) as the claims' readings give them.",
    "explanation": "One sentence in English saying what was checked and what came out.",
    "modes": "For grim: the rounding modes under which the percentage is reachable, ';'-separated (empty = none).",
    "evidence": "The sentences of the claims involved, ' ‖ '-separated in claim order, for showing the check in context; "
                "in a cross-document check each prefixed by its [doc_id].",
    "evidence_offsets": "Where they stand: <claim_id>@<clean_start>-<clean_end> (clean text) and raw <raw_start>-<raw_end>, "
                        "';'-separated.",
    "evidence_urls": "Cross-document checks: the URL of each claim's page, ';'-separated in claim order (empty when "
                     "unknown); empty for within-document checks.",
    "evidence_dates": "Cross-document checks: the date of each claim's page (ISO), ';'-separated in claim order (empty "
                      "when unknown); empty for within-document checks.",
    "can_fail": "False when the verdict could not have come out inconsistent given how its claims are read, so a "
                "consistent verdict confirms nothing: a share tested only against 0–100, a part against an open-ended "
                "whole, parts against an open-ended total, a GRIM test whose count n is so large that every percentage "
                "at the written precision is reachable (n × place of the last digit > 50), a repeat of two claims open "
                "at the same end, a change whose baseline is not stated (indeterminate). True otherwise.",
    # --- series and disagreements (notebook 06) ----------------------------------------------------
    "is_copy": "True when the claim's page is a copy, not the page its republication group is named after.",
    "flagged": "True when a cross-document check that is not consistent names this claim.",
    "flag_kinds": "The kinds of those checks, ';'-separated.",
    "kind_label": "The kind in the table's language (English or Chinese).",
}


def table_columns(names: Iterable[str], **overrides: str) -> dict[str, str]:
    """The data dictionary of a table with these columns, in this order, each described by :data:`FIELDS`.

    A table never describes a column itself: any keyword argument (an attempted override) is an error,
    and so is a name the registry does not know (add it to FIELDS, once for every table).
    """
    if overrides:
        raise TypeError(f"a table may not override the registry's description of {', '.join(sorted(overrides))}; "
                        "change aidlab.fields.FIELDS instead")
    names = list(names)
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise KeyError(f"column(s) not in aidlab.fields.FIELDS: {', '.join(unknown)}")
    if len(set(names)) != len(names):
        raise ValueError(f"column(s) named twice: {', '.join(sorted({n for n in names if names.count(n) > 1}))}")
    return {n: FIELDS[n] for n in names}
