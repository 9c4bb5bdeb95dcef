"""Turn a received document (bytes from an upload or a fetch) into plain text and metadata.

Pure Python on purpose: no Django, no network, so the intake rules are testable on their own.
"""

from __future__ import annotations

import codecs
import datetime
import re
from dataclasses import dataclass

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura

__all__ = [
    "MAX_ATTRIBUTES",
    "MAX_HTML_CHARS",
    "MAX_TEXT_CHARS",
    "DocumentError",
    "ParsedDocument",
    "decode_bytes",
    "html_to_document",
    "looks_like_html",
    "parse_document",
    "text_to_document",
]


class DocumentError(Exception):
    """A document this layer cannot turn into text; the message is meant for the article's error field."""


@dataclass(frozen=True)
class ParsedDocument:
    text: str
    title: str | None
    published: datetime.date | None
    publisher: str | None
    language: str | None
    # The title is the text's own first line (plain text), not a headline set apart from the story (HTML <title>).
    title_from_text: bool = False
    # The address the page declares for itself (rel=canonical, else og:url), as written: the caller judges it.
    declared_url: str | None = None


# --- decoding -------------------------------------------------------------------------------------------------------

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Covers <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x"> and <?xml encoding="x"?>.
_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)

# Single-byte codecs accept every byte sequence, so "decodes cleanly" proves nothing for them.
_SINGLE_BYTE_CODECS = (
    {"latin-1", "iso8859-1", "ascii"} | {f"cp{n}" for n in range(1250, 1259)} | {f"iso8859-{n}" for n in range(2, 17)}
)


def _codec_name(label: str | None) -> str | None:
    """Python's canonical codec name for a charset label, or None for labels Python does not know."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def _decode_strict(raw: bytes, codec: str) -> str | None:
    # Browsers (WHATWG) read "iso-8859-1" and "ascii" labels as windows-1252; pages labelled latin-1 routinely
    # carry curly quotes in 0x80-0x9F, which real latin-1 would turn into invisible control characters.
    candidates = ["cp1252", codec] if codec in {"latin-1", "iso8859-1", "ascii"} else [codec]
    for candidate in candidates:
        try:
            return raw.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _meta_charset(raw: bytes) -> str | None:
    # Declarations must sit near the top of the page; looking further risks matching charset text in the body.
    match = _META_CHARSET_RE.search(raw[:4096])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "ignore")
    codec = _codec_name(label)
    # A declaration we could read as ASCII cannot really be UTF-16/32; HTML treats that lie as UTF-8.
    if codec and codec.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return codec


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(raw: bytes, *, declared_charset: str | None = None) -> str:
    """Decode bytes to text, detecting the encoding; never raises.

    Order: byte-order mark, then a declared charset (the HTTP header's, then the document's own meta/XML
    declaration) when it decodes cleanly, then charset-normalizer's guess, then UTF-8 with replacement.
    """
    if not raw:
        return ""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")

    has_non_ascii = not raw.isascii()
    for codec in (_codec_name(declared_charset), _meta_charset(raw)):
        if codec is None:
            continue
        # A single-byte label decodes anything, so it cannot be wrong by failing; valid non-ASCII UTF-8 is
        # almost never an accident, and mislabelled UTF-8 pages are far more common than the reverse.
        if codec in _SINGLE_BYTE_CODECS and has_non_ascii and _is_utf8(raw):
            return raw.decode("utf-8")
        text = _decode_strict(raw, codec)
        if text is not None:
            return text

    if not has_non_ascii:
        return raw.decode("ascii")
    if _is_utf8(raw):
        return raw.decode("utf-8")
    guess = _guess_encoding(raw)
    if guess is not None:
        return guess
    return raw.decode("utf-8", errors="replace")


# Code pages of DOS consoles and classic Mac OS: plausible on paper, almost never what a web page or article uses.
_DOS_CODEPAGES = {
    "cp437", "cp720", "cp737", "cp775", "cp850", "cp852", "cp855", "cp856", "cp857", "cp858", "cp860", "cp861",
    "cp862", "cp863", "cp864", "cp865", "cp866", "cp869", "cp1125",
}  # fmt: skip


def _is_dos_or_mac_codepage(encoding: str) -> bool:
    return encoding.startswith("mac_") or encoding in _DOS_CODEPAGES


def _guess_encoding(raw: bytes) -> str | None:
    """charset-normalizer's guess, with a web-minded tie-break.

    On short Western European text it often rates several code pages as equally clean and picks DOS/Mac ones
    (cp775, cp850) by a coin toss of coherence, turning "Côte" into "C¶te". Among equally clean candidates we prefer
    web encodings, then the more coherent, then windows-1252, the WHATWG fallback for undeclared pages.
    """
    matches = list(charset_normalizer.from_bytes(raw))
    if not matches:
        return None
    best = min(
        matches,
        key=lambda m: (
            round(m.chaos, 3),
            _is_dos_or_mac_codepage(m.encoding),
            -round(m.coherence, 3),
            m.encoding != "cp1252",
        ),
    )
    return str(best)


# --- HTML -----------------------------------------------------------------------------------------------------------

_HTML_STRUCTURE_RE = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_TAG_RE = re.compile(
    r"<(?:meta|title|p|div|span|article|section|main|h[1-6]|br|a|ul|ol|li|table|script|style|link)\b[^<>]*>",
    re.IGNORECASE,
)
# XML 1.0 forbids these; lxml refuses a string containing any of them.
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def looks_like_html(text: str) -> bool:
    """Whether text is HTML rather than plain text, judged from its opening."""
    head = text[:2048].lstrip("\ufeff \t\r\n")
    if _HTML_STRUCTURE_RE.search(head):
        return True
    # A fragment without <html>: starts with a tag and holds at least one common HTML tag early on.
    return head.startswith("<") and _HTML_TAG_RE.search(head) is not None


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean_line(value: str) -> str:
    return " ".join(value.split())


# trafilatura's output tree: these elements hold other blocks rather than running text.
_CONTAINER_TAGS = {"body", "doc", "main", "div", "quote", "list", "item", "table", "row", "cell"}
_BLOCK_TAGS = _CONTAINER_TAGS | {"p", "head", "code", "graphic"}


def _inline_text(element: lxml.etree._Element) -> str:
    """Text of a paragraph-like element, keeping trafilatura's <lb/> line breaks."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(element: lxml.etree._Element) -> list[str]:
    """Paragraph texts in document order, one string per block of trafilatura's output tree."""
    has_block_children = any(child.tag in _BLOCK_TAGS for child in element)
    if element.tag not in _CONTAINER_TAGS or not has_block_children:
        lines = (_clean_line(line) for line in _inline_text(element).split("\n"))
        text = "\n".join(line for line in lines if line)
        return [text] if text else []
    blocks: list[str] = []
    if element.text and element.text.strip():
        blocks.append(_clean_line(element.text))
    for child in element:
        blocks.extend(_blocks(child))
        if child.tail and child.tail.strip():
            blocks.append(_clean_line(child.tail))
    if element.tag == "list":
        # List items read as one block of lines, not one paragraph per item.
        return ["\n".join(blocks)] if blocks else []
    return blocks


# --- input caps: markup lxml reads in super-linear time, or not at all ---------------------------------------------
# Measured in bench/bench_parse_worst.py. lxml checks each attribute of an element against the ones before it, and
# trafilatura parses a page several times: one element with 32,000 attributes took 8 s to read, 64,000 took 58 s
# (a 2.3 MB file ran into the task time limit three times). Real pages have a few dozen at most, so the attributes of
# an element past this many are dropped before lxml sees them; what the page says is in its text, never there.
MAX_ATTRIBUTES = 256
# A start tag that long may hold more than MAX_ATTRIBUTES attributes (each takes at least two characters); shorter
# tags are passed over without a look. Linear: `[^<>]` cannot run past the next tag.
_CROWDED_TAG_RE = re.compile(rf"<([A-Za-z][^\s/<>]*)(\s[^<>]{{{2 * MAX_ATTRIBUTES},}})>")
_ATTRIBUTE_RE = re.compile(r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]*))?""")


def _cap_attributes(html: str) -> str:
    def cap(match: re.Match) -> str:
        attributes = _ATTRIBUTE_RE.findall(match.group(2))
        if len(attributes) <= MAX_ATTRIBUTES:
            return match.group(0)
        return f"<{match.group(1)} {' '.join(attributes[:MAX_ATTRIBUTES])}>"

    return _CROWDED_TAG_RE.sub(cap, html)


# libxml2 stops reading at element depth 256 and drops the rest of the page without a word (the text after it is
# lost, however much there is). Such a page is read again flattened: block elements become paragraphs, other tags go.
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^<>]*>")
# Kept as they are, so that the head, its metadata and the contents of scripts and styles are still told apart.
_KEPT_TAGS = {"html", "head", "body", "title", "meta", "link", "base", "script", "style", "noscript", "template", "br"}


def _flatten(html: str) -> str:
    def flat(match: re.Match) -> str:
        closing, name = match.group(1), match.group(2).lower()
        if name in _KEPT_TAGS:
            return match.group(0)
        if name in _FALLBACK_BLOCK_TAGS:
            # A <p> ends the one before it, so paragraphs never nest; their end tags are not needed.
            return "" if closing else "<p>"
        return ""

    return _TAG_RE.sub(flat, html)


def _parse_html_tree(html: str) -> tuple[lxml.html.HtmlElement | None, bool]:
    """The tree, and whether lxml stopped at its depth limit."""
    # Parsing bytes with an explicit encoding sidesteps lxml's refusal of str input carrying an XML declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        tree = None
    too_deep = any("Excessive depth" in entry.message for entry in parser.error_log)
    return tree, too_deep


def _read_html(html: str) -> tuple[str, lxml.html.HtmlElement | None]:
    """The markup every later stage reads (capped, flattened when too deep for lxml), and its tree."""
    html = _cap_attributes(_XML_INVALID_RE.sub("", html))
    tree, too_deep = _parse_html_tree(html)
    if too_deep:
        html = _flatten(html)
        tree, _ = _parse_html_tree(html)
    return html, tree


_FALLBACK_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "li", "ul", "ol", "table", "tr",
    "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "br", "hr", "dd", "dt", "figcaption",
}  # fmt: skip


def _fallback_text(tree: lxml.html.HtmlElement) -> str:
    """Every visible word of the body, one block per line group; used when trafilatura finds no main story."""
    for element in tree.xpath("//script|//style|//noscript|//template|//head"):
        element.drop_tree()
    body = tree.find("body")
    root = body if body is not None else tree
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _FALLBACK_BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    lines = (_clean_line(line) for line in root.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)


def _html_title(tree: lxml.html.HtmlElement | None) -> str | None:
    if tree is None:
        return None
    titles = tree.xpath("//title/text()")
    title = _clean_line(titles[0]) if titles else ""
    return title or None


_LANGUAGE_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")


def _html_language(tree: lxml.html.HtmlElement | None) -> str | None:
    """Primary language subtag ("en" for "en-GB") from <html lang>, Content-Language or og:locale."""
    if tree is None:
        return None
    candidates = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        *tree.xpath(
            "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')='content-language']/@content"
        ),
        *tree.xpath("//meta[@property='og:locale']/@content"),
    ]
    for candidate in candidates:
        match = _LANGUAGE_RE.match((candidate or "").strip().split(",")[0].strip())
        if match:
            return match.group(1).lower()
    return None


# rel is a list of tokens, in any letter case: rel="Canonical", rel="canonical nofollow".
_CANONICAL_LINK = "//link[contains(concat(' ', translate(@rel, 'CANONICAL', 'canonical'), ' '), ' canonical ')]/@href"


def _html_declared_url(tree: lxml.html.HtmlElement | None) -> str | None:
    if tree is None:
        return None
    candidates = [
        *tree.xpath(_CANONICAL_LINK),
        *tree.xpath("//meta[@property='og:url']/@content"),
    ]
    return next((candidate.strip() for candidate in candidates if candidate and candidate.strip()), None)


def html_to_document(html: str, *, url: str | None = None) -> ParsedDocument:
    """Main story and metadata of an HTML page; falls back to all visible body text. Never raises."""
    html, tree = _read_html(html)
    extracted = None
    try:
        extracted = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_links=False,
            include_images=False,
            # Precision again: only dates the page states (meta tags, <time>, URL), not guesses from body text.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura can fail in many ways on odd markup; the fallback covers them all
        extracted = None

    # Read title and language before the fallback, which strips <head> from the tree.
    title = (extracted.title if extracted is not None else None) or _html_title(tree)
    language = _html_language(tree)
    declared_url = _html_declared_url(tree)
    text = ""
    if extracted is not None and extracted.body is not None:
        text = "\n\n".join(_blocks(extracted.body))
    if not text and tree is not None:
        text = _fallback_text(tree)

    return ParsedDocument(
        text=text,
        title=_clean_line(title) if title else None,
        published=_parse_date(extracted.date) if extracted is not None else None,
        publisher=(extracted.sitename or None) if extracted is not None else None,
        language=language,
        declared_url=declared_url,
    )


# --- plain text -----------------------------------------------------------------------------------------------------


def text_to_document(text: str) -> ParsedDocument:
    """A plain-text document: the text itself, and a title when the first line stands alone as one."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").removeprefix("\ufeff")
    lines = text.split("\n")
    title = None
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        # A heading is short and set apart by a blank line; anything else is the start of the body.
        followed_by_blank = index + 1 < len(lines) and not lines[index + 1].strip()
        if len(line.strip()) < 200 and followed_by_blank:
            title = line.strip()
        break
    return ParsedDocument(
        text=text, title=title, published=None, publisher=None, language=None, title_from_text=title is not None
    )


# --- dispatch -------------------------------------------------------------------------------------------------------

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_UNKNOWN_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
_TEXT_EXTENSIONS = {".txt", ".text", ".md"}

# Magic numbers of the binary formats people most often try to submit; checked before any declared type,
# because a PDF served as text/html is still a PDF.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
    (b"{\\rtf", "application/rtf"),
    (b"\x1f\x8b", "application/gzip"),
    (b"%!PS", "application/postscript"),
)

_EXTENSION_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".zip": "application/zip",
}


def _split_content_type(content_type: str | None) -> tuple[str, str | None]:
    """("text/html", "utf-8") from 'text/html; charset="utf-8"'."""
    if not content_type:
        return "", None
    mime, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return mime.strip().lower(), charset


def _extension(filename: str | None) -> str:
    if not filename or "." not in filename:
        return ""
    return "." + filename.rsplit(".", 1)[1].lower()


def _looks_binary(text: str) -> bool:
    # Text decoded from an image or archive is full of control characters; real documents have almost none.
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for char in sample if (ord(char) < 32 and char not in "\t\n\r\f") or char == "\ufffd")
    return controls / len(sample) > 0.05


# The text the engine reads, at most: what the API accepts as pasted text (the engine's time grows faster than its
# input; about 10 s for this much on the development machine).
MAX_TEXT_CHARS = 2_000_000
# HTML, at most: what the API and the fetcher accept. Reading time grows with the number of elements (about 6 s a MB
# for a page made of nothing but nested tags) and memory with the size (a 20 MB page left a worker at 718 MB).
MAX_HTML_CHARS = 5_000_000


def parse_document(
    raw: bytes,
    *,
    content_type: str | None = None,
    url: str | None = None,
    filename: str | None = None,
) -> ParsedDocument:
    """Text and metadata of a received document, or DocumentError when it holds no usable text.

    The kind is decided by magic number first, then the declared content type, then the filename extension,
    then by sniffing the decoded text.
    """
    mime, charset = _split_content_type(content_type)
    for magic, magic_type in _MAGIC:
        if raw.startswith(magic):
            raise DocumentError(f"unsupported document type: {magic_type}")

    extension = _extension(filename) or _extension(url.split("?", 1)[0].split("#", 1)[0] if url else None)
    if mime in _UNKNOWN_TYPES:
        if extension in _EXTENSION_TYPES:
            raise DocumentError(f"unsupported document type: {_EXTENSION_TYPES[extension]}")
        kind = "html" if extension in _HTML_EXTENSIONS else "text" if extension in _TEXT_EXTENSIONS else "sniff"
    elif mime in _HTML_TYPES:
        kind = "html"
    elif mime.startswith("text/"):
        kind = "text"
    else:
        raise DocumentError(f"unsupported document type: {mime}")

    if not raw.strip():
        raise DocumentError("empty document")
    text = decode_bytes(raw, declared_charset=charset)
    if _looks_binary(text):
        raise DocumentError(f"unsupported document type: {mime or 'binary data'} (not readable as text)")

    if kind == "sniff":
        kind = "html" if looks_like_html(text) else "text"
    if kind == "html" and len(text) > MAX_HTML_CHARS:
        raise DocumentError(f"the page is {len(text):,} characters of HTML, more than the {MAX_HTML_CHARS:,} read")
    document = html_to_document(text, url=url) if kind == "html" else text_to_document(text)
    if not document.text.strip():
        raise DocumentError("document has no readable text")
    if len(document.text) > MAX_TEXT_CHARS:
        raise DocumentError(
            f"its text is {len(document.text):,} characters, more than the {MAX_TEXT_CHARS:,} the engine reads"
        )
    return document
