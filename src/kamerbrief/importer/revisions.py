"""Tracked changes and comments in a reviewed .docx: listed, accepted or rejected.

python-docx reads neither (its paragraph.text drops the runs inside w:ins), so the parts are
walked with lxml. Accepting keeps insertions and drops deletions, as Word's "Accept All" and
pandoc's --track-changes=accept do; rejecting does the opposite; formatting changes are
accepted (kept) or rejected (the old properties put back).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..document import readable
from .package import W, Package, Part, Places, paragraph_text, short

# run-level containers of a change
INSERTED = (W + "ins", W + "moveTo")
DELETED = (W + "del", W + "moveFrom")
PROPERTY_CHANGES = tuple(W + t for t in (
    "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
    "tblGridChange", "tblPrExChange", "numberingChange"))
RANGE_MARKS = tuple(W + t for t in (
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
    "customXmlDelRangeEnd"))
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"


@dataclass(frozen=True)
class Revision:
    kind: str       # "insertion", "deletion", "move", "formatting change", ...
    author: str
    date: str
    text: str
    where: str

    def __str__(self) -> str:
        who = self.author or "unknown author"
        when = f" on {self.date[:10]}" if self.date else ""
        said = f" '{short(self.text)}'" if self.text.strip() else ""
        return f"{self.where}: {self.kind}{said} by {who}{when}"


@dataclass(frozen=True)
class Comment:
    author: str
    date: str
    text: str
    where: str
    resolved: bool

    def __str__(self) -> str:
        state = " (resolved)" if self.resolved else ""
        when = f" on {self.date[:10]}" if self.date else ""
        return f"{self.where}: comment{state} by {self.author or 'unknown author'}{when}: " \
               f"'{short(self.text, 200)}'"


def _is_mark(element: etree._Element) -> bool:
    """A w:ins/w:del on a paragraph mark or a table row (not around runs)."""
    return element.getparent() is not None and element.getparent().tag in (W + "rPr", W + "trPr")


def _kind(element: etree._Element) -> str:
    tag = etree.QName(element).localname
    if element.tag in PROPERTY_CHANGES:
        return "formatting change"
    if element.getparent().tag == W + "trPr":
        return "table row inserted" if tag == "ins" else "table row deleted"
    if _is_mark(element):
        return "paragraph break inserted" if tag == "ins" else "paragraph break deleted"
    return {"ins": "insertion", "del": "deletion", "moveTo": "moved here",
            "moveFrom": "moved away"}.get(tag, "formatting change")


def _text(element: etree._Element) -> str:
    if element.tag in PROPERTY_CHANGES:
        holder = next(element.iterancestors(W + "r", W + "p"), None)
        return paragraph_text(holder) if holder is not None and holder.tag == W + "p" else \
            readable("".join(t.text or "" for t in (holder.iter(W + "t") if holder is not None
                                                     else ())))
    return readable("".join(t.text or "" for t in element.iter(W + "t", W + "delText")))


def list_revisions(package: Package, places: Places) -> list[Revision]:
    out = []
    for part in package.story_parts():
        for element in part.root.iter(*INSERTED, *DELETED, *PROPERTY_CHANGES):
            if element.tag in PROPERTY_CHANGES and element.getparent() is not None and \
                    element.getparent().getparent() is not None and \
                    element.getparent().getparent().tag in PROPERTY_CHANGES:
                continue
            out.append(Revision(_kind(element), element.get(W + "author", ""),
                                element.get(W + "date", ""), _text(element),
                                places.where(element, part)))
    return out


def list_comments(package: Package, places: Places) -> list[Comment]:
    if package.comments is None:
        return []
    anchors: dict[str, str] = {}
    for part in package.story_parts():
        for mark in part.root.iter(W + "commentRangeStart", W + "commentReference"):
            anchors.setdefault(mark.get(W + "id"), places.where(mark, part))
    resolved = _resolved_paragraphs(package)
    out = []
    for comment in package.comments.root.iter(W + "comment"):
        paras = comment.findall(f".//{W}p")
        ids = {p.get(W14 + "paraId") for p in paras}
        text = "\n".join(paragraph_text(p) for p in paras)
        out.append(Comment(comment.get(W + "author", ""), comment.get(W + "date", ""), text,
                           anchors.get(comment.get(W + "id"), "the letter"),
                           bool(ids & resolved)))
    return out


def _resolved_paragraphs(package: Package) -> set[str]:
    """Paragraph ids of comments Word marked as resolved (commentsExtended.xml)."""
    for rel_type, target, _ in package.document.rels.values():
        if rel_type == "commentsExtended" and target in package.files:
            root = etree.fromstring(package.files[target])
            return {e.get(W15 + "paraId") for e in root.iter(W15 + "commentEx")
                    if e.get(W15 + "done") in ("1", "true")}
    return set()


# -- accept / reject --------------------------------------------------------------------------

def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(index, child)
    _drop(element)


def _drop(element: etree._Element) -> None:
    """Remove an element, keeping the text after it (tail) in place."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _join_with_next(mark: etree._Element) -> None:
    """A removed paragraph mark: the paragraph's runs go to the start of the next paragraph
    (which keeps its own properties); with no paragraph after it, only the mark goes."""
    p = next(mark.iterancestors(W + "p"), None)
    _drop(mark)
    if p is None:
        return
    following = p.getnext()
    if following is None or following.tag != W + "p":
        return
    content = [c for c in p if c.tag != W + "pPr"]
    ppr = following.find(W + "pPr")
    at = 0 if ppr is None else following.index(ppr) + 1
    for child in reversed(content):
        following.insert(at, child)
    p.getparent().remove(p)


def _restore(change: etree._Element) -> None:
    """Rejecting a formatting change: the old run or paragraph properties put back (a
    paragraph keeps its mark's run properties and section break)."""
    holder, old = change.getparent(), next(iter(change), None)
    kept = (change, holder.find(W + "rPr"), holder.find(W + "sectPr")) \
        if holder.tag == W + "pPr" else (change,)
    for child in list(holder):
        if child not in kept:
            holder.remove(child)
    for child in reversed(list(old) if old is not None else []):
        holder.insert(0, child)


def resolve(root: etree._Element, accept: bool) -> None:
    """Accept (accept=True) or reject every tracked change in one part, in place."""
    for element in list(root.iter(*RANGE_MARKS)):
        _drop(element)
    keep, lose = (INSERTED, DELETED) if accept else (DELETED, INSERTED)
    for element in list(root.iter(*PROPERTY_CHANGES)):
        if element.getparent() is None:
            continue
        if not accept and element.tag in (W + "rPrChange", W + "pPrChange"):
            _restore(element)
        _drop(element)
    # paragraph marks and table rows first (their elements are empty)
    for element in list(root.iter(*keep, *lose)):
        if not _is_mark(element):
            continue
        if element.getparent().tag == W + "trPr":
            row = element.getparent().getparent()
            if element.tag in lose:
                row.getparent().remove(row)
            else:
                _drop(element)
        elif element.tag in lose:
            _join_with_next(element)
        else:
            _drop(element)
    for element in list(root.iter(*keep, *lose)):
        if element.getparent() is None or _is_mark(element):
            continue
        if element.tag in keep:
            if not accept:
                for node in element.iter(W + "delText"):
                    node.tag = W + "t"
                for node in element.iter(W + "delInstrText"):
                    node.tag = W + "instrText"
            _unwrap(element)
        else:
            _drop(element)


def resolve_all(package: Package, accept: bool) -> None:
    for part in package.story_parts():
        resolve(part.root, accept)
