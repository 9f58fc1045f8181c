"""RDF Dataset Canonicalization (RDFC-1.0) of a JSON-LD document, with the bundled contexts.

Two libraries, each for what it does right: pyld turns the JSON-LD into RDF (its context cache
keeps the parsed contexts warm), and pyoxigraph canonicalises the dataset and writes canonical
N-Quads. pyld's own URDNA2015 output does not escape control characters as RDFC-1.0 requires
(``\\u0001``, ``\\b``, ``\\f``, ``\\u007F``…), so a certificate whose text held one would not
verify elsewhere; pyoxigraph's matches rdf-canonize byte for byte, except for the noncharacters
U+FFFE and U+FFFF, which it escapes (openbadges.py removes them from the texts it signs).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from pyld import jsonld

from .loader import document_loader

# pyld's process-wide context caches are cachetools LRUs, which are not thread-safe; the work is
# CPU-bound under the GIL anyway, so one lock costs nothing (threaded dev server, thread pools).
_PYLD_LOCK = threading.Lock()
_TO_RDF = {"documentLoader": document_loader, "produceGeneralizedRdf": False}
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _node(term: Mapping[str, Any]) -> ox.NamedNode | ox.BlankNode:
    value = term["value"]
    if term["type"] == "blank node":
        return ox.BlankNode(value.removeprefix("_:"))
    return ox.NamedNode(value)


def _object(term: Mapping[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term["type"] != "literal":
        return _node(term)
    if term.get("language") and term.get("datatype", _RDF_LANG_STRING) == _RDF_LANG_STRING:
        return ox.Literal(term["value"], language=term["language"])
    return ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"]))


def to_dataset(document: Mapping[str, Any]) -> ox.Dataset:
    """The RDF dataset a JSON-LD document denotes (terms no context defines are dropped)."""
    with _PYLD_LOCK:
        graphs = jsonld.to_rdf(dict(document), dict(_TO_RDF))
    quads = []
    for name, triples in graphs.items():
        graph: Any = (
            ox.DefaultGraph()
            if name == "@default"
            else _node({"type": "blank node" if name.startswith("_:") else "IRI", "value": name})
        )
        for triple in triples:
            subject, value = _node(triple["subject"]), _object(triple["object"])
            predicate = ox.NamedNode(triple["predicate"]["value"])
            quads.append(ox.Quad(subject, predicate, value, graph))
    return ox.Dataset(quads)


def canonicalize(document: Mapping[str, Any]) -> str:
    """Canonical N-Quads of ``document`` (RDFC-1.0): one quad a line, in code point order."""
    dataset = to_dataset(document)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    text = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    # split on "\n" only: str.splitlines would also cut at U+2028, U+0085… inside literals
    lines = [line for line in text.split("\n") if line]
    return "".join(f"{line}\n" for line in sorted(lines))
