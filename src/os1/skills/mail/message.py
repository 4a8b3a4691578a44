"""Parse one raw RFC 822 message into a :class:`MailMessage`, whatever state it is in.

Real mailboxes hold malformed headers, broken MIME, charsets nobody has heard of and
50 MB attachments. :func:`parse_message` never raises: what was odd goes into
``MailMessage.notes`` and the best readable text is kept. Attachments are recorded by
name, type and size only; their bodies are not decoded when they are large (long
base64 runs are measured and elided before the MIME parser sees them, so a 50 MB
attachment parses in a fraction of a second). HTML-only mail is turned into plain text
with the standard library's HTML parser.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import time
from dataclasses import dataclass
from email import policy
from email.header import Header, decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

TEXT_CAP = 200_000  # characters of body text kept
HEADER_CAP = 2_000  # characters kept of one selected header
NOTES_CAP = 20
ELIDE_ABOVE = 1_000_000  # messages bigger than this get their long base64 runs elided
KEPT_HEADERS = (
    "list-id", "list-unsubscribe", "list-unsubscribe-post", "list-post", "in-reply-to", "references",
    "precedence", "x-mailer", "user-agent", "reply-to", "organization", "content-type",
    "auto-submitted", "return-path", "x-mailing-list", "mailing-list",
)
CHARSET_ALIASES = {
    "unknown-8bit": "", "x-unknown": "", "unknown": "", "default": "", "x-user-defined": "",
    "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030", "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874", "x-sjis": "shift_jis", "x-mac-roman": "mac_roman", "ansi_x3.4-1968": "ascii",
    "us-ascii": "utf-8",  # mislabelled 8-bit text is common; utf-8 decodes real ASCII identically
}
_ELIDED = b"OS1-ELIDED-BASE64-BYTES:"
_BASE64_RUN = re.compile(rb"(?:[A-Za-z0-9+/=]{40,100}\r?\n){4000,}")  # >= ~300 KB of base64 lines
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_PLAIN_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)


@dataclass(frozen=True)
class Address:
    name: str
    email: str  # lower-cased; "" when the header held no usable address

    def __str__(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.email or self.name


@dataclass
class MailMessage:
    message_id: str  # the Message-ID header, or "<sha1:…>" of the raw bytes when it is missing
    subject: str
    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    date: float | None  # unix time; None when no date could be read
    text: str  # best plain-text body (HTML converted), at most TEXT_CAP characters
    headers: dict[str, str]  # selected headers, lower-case names (KEPT_HEADERS and x-spam-*)
    attachments: tuple[tuple[str, str, int], ...]  # (filename, content type, size in bytes)
    size: int  # raw size in bytes
    notes: tuple[str, ...]  # what was odd about this message


class _Notes:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, note: str) -> None:
        if note not in self.items and len(self.items) < NOTES_CAP:
            self.items.append(note)


# -- text decoding ---------------------------------------------------------------------------------
def _lookup(charset: str | None) -> str:
    """A codec name Python knows for ``charset``, or "" for "unknown: guess"."""
    name = (charset or "").strip().strip('"').lower()
    name = CHARSET_ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "?" + name


def decode_bytes(data: bytes, charset: str | None, notes: _Notes | None = None) -> str:
    """Decode ``data`` labelled ``charset``; unknown or wrong labels fall back to UTF-8, then cp1252."""
    codec = _lookup(charset)
    if codec and not codec.startswith("?"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            if notes is not None and codec not in ("utf-8",):
                notes.add(f"text did not match its charset {charset}; decoded with replacements")
            if codec != "utf-8":
                return data.decode(codec, errors="replace")
    elif codec.startswith("?") and notes is not None:
        notes.add(f"unknown charset {codec[1:]}, decoded as utf-8 or windows-1252")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def header_text(value: Any, notes: _Notes | None = None) -> str:
    """A header value as readable text: RFC 2047 encoded words and raw 8-bit bytes decoded."""
    if value is None:
        return ""
    try:
        parts = decode_header(value if isinstance(value, Header) else str(value))
    except Exception:
        text = str(value)
        return " ".join(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").split())
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
        else:
            out.append(decode_bytes(chunk, charset, notes))
    return " ".join("".join(out).split())


# -- HTML ------------------------------------------------------------------------------------------
class _HtmlText(HTMLParser):
    BLOCK = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
                       "blockquote", "section", "article", "header", "footer", "ul", "ol", "hr",
                       "pre", "dd", "dt"})
    SKIP = frozenset({"script", "style", "head", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text from HTML: scripts and styles dropped, blocks on their own lines."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # the parser is lenient, but never let markup cost the message
        text = re.sub(r"<[^>]*>", " ", html)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# -- parsing ---------------------------------------------------------------------------------------
def _elide_large_base64(raw: bytes) -> bytes:
    def measure(match: re.Match[bytes]) -> bytes:
        block = match.group()
        chars = len(block) - block.count(b"\n") - block.count(b"\r")
        return _ELIDED + str(chars * 3 // 4).encode() + b"\n"

    return _BASE64_RUN.sub(measure, raw)


def _addresses(values: list[Any], notes: _Notes) -> tuple[Address, ...]:
    texts = [str(v) if not isinstance(v, Header) else header_text(v, notes) for v in values if v]
    out: list[Address] = []
    try:
        pairs = getaddresses(texts)
    except Exception:
        notes.add("unreadable address header")
        return ()
    for name, addr in pairs:
        addr = addr.strip().strip("<>").lower()
        if addr and not _PLAIN_EMAIL.fullmatch(addr):  # "Broken <a@b.c" and the like: dig the address out
            found = _PLAIN_EMAIL.search(addr)
            name, addr = (name or addr[:found.start()].strip(' "<')) if found else name, (
                found.group() if found else "")
        name = header_text(name, notes).strip().strip('"').strip()
        if "@" not in addr and not name:
            continue
        if "@" not in addr:
            notes.add("address without a domain")
        out.append(Address(name=name if name.lower() != addr else "", email=addr))
    return tuple(out)


def _date(msg: Message, notes: _Notes) -> float | None:
    candidates = [msg.get("date")]
    received = msg.get("received")
    if received:
        candidates.append(str(received).rsplit(";", 1)[-1])
    for index, value in enumerate(candidates):
        if not value:
            continue
        try:
            parsed = parsedate_to_datetime(" ".join(str(value).split()))
            stamp = parsed.timestamp()
        except Exception:
            continue
        if 0 < stamp < time.time() + 366 * 86400:
            if index:
                notes.add("no usable Date header; date taken from Received")
            return stamp
    notes.add("no readable date")
    return None


def _part_size(part: Message) -> int:
    raw_payload = part.get_payload(decode=False)
    if isinstance(raw_payload, str) and raw_payload.startswith(_ELIDED.decode()):
        try:
            return int(raw_payload[len(_ELIDED):].split()[0])
        except (ValueError, IndexError):
            return 0
    data = part.get_payload(decode=True)
    return len(data) if isinstance(data, bytes) else 0


def _part_text(part: Message, notes: _Notes) -> str:
    raw_payload = part.get_payload(decode=False)
    if isinstance(raw_payload, str) and raw_payload.startswith(_ELIDED.decode()):
        notes.add("a text part was too large to read")
        return ""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return decode_bytes(data, part.get_content_charset(), notes)


def _body(msg: Message, notes: _Notes) -> tuple[str, tuple[tuple[str, str, int], ...]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[tuple[str, str, int]] = []
    for part in msg.walk():
        try:
            if part.is_multipart():
                continue
            ctype = part.get_content_type()
            if part.get_content_maintype() == "multipart":
                notes.add("broken MIME: multipart without parts, read as text")
                ctype = "text/plain"
            disposition = part.get_content_disposition()
            try:
                filename = header_text(part.get_filename() or "", notes)
            except Exception:
                filename = ""
            if disposition == "attachment" or filename or not ctype.startswith("text/") or ctype not in (
                    "text/plain", "text/html"):
                attachments.append((filename, ctype, _part_size(part)))
            elif ctype == "text/html":
                html.append(_part_text(part, notes))
            else:
                plain.append(_part_text(part, notes))
        except Exception as exc:
            notes.add(f"broken MIME part skipped ({type(exc).__name__})")
    text = "\n\n".join(p.strip() for p in plain if p.strip())
    if not text and html:
        text = html_to_text("\n".join(html))
    text = text.replace("\r\n", "\n").replace("\x00", "")
    if len(text) > TEXT_CAP:
        notes.add(f"body text cut at {TEXT_CAP} characters")
        text = text[:TEXT_CAP]
    return text, tuple(attachments)


def _fallback(raw: bytes, exc: Exception) -> MailMessage:
    head = raw[:TEXT_CAP].decode("utf-8", errors="replace")
    return MailMessage(
        message_id=f"<sha1:{hashlib.sha1(raw).hexdigest()}>", subject="", sender=Address("", ""),
        to=(), cc=(), date=None, text=head, headers={}, attachments=(), size=len(raw),
        notes=(f"unparsable message ({type(exc).__name__}: {exc}); kept as raw text",))


def parse_message(raw: bytes) -> MailMessage:
    """Parse raw RFC 822 bytes. Never raises: problems are listed in ``notes``."""
    try:
        return _parse(raw)
    except Exception as exc:  # a last resort: the raw bytes are still stored by the caller
        return _fallback(raw, exc)


def _parse(raw: bytes) -> MailMessage:
    notes = _Notes()
    data = raw.lstrip(b"\r\n\t ")
    if data.startswith(b"From "):  # an mbox "From_" separator line left on the message
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    if len(data) > ELIDE_ABOVE:
        data = _elide_large_base64(data)
    msg = BytesParser(policy=policy.compat32).parsebytes(data)
    if not msg.keys():
        notes.add("no headers found")
    for defect in msg.defects:
        notes.add(f"MIME defect: {type(defect).__name__}")
    raw_id = header_text(msg.get("message-id"), notes)
    found = _MESSAGE_ID.search(raw_id)
    message_id = found.group() if found else raw_id.strip()[:500]
    if not message_id:
        notes.add("no Message-ID; identified by content hash")
        message_id = f"<sha1:{hashlib.sha1(raw).hexdigest()}>"
    senders = (_addresses(msg.get_all("from") or [], notes) or _addresses(msg.get_all("sender") or [], notes)
               or _addresses(msg.get_all("return-path") or [], notes))
    if not senders:
        notes.add("no sender")
    headers: dict[str, str] = {}
    for name in msg:
        key = name.lower()
        if (key in KEPT_HEADERS or key.startswith("x-spam-")) and key not in headers:
            headers[key] = header_text(msg.get(name), notes)[:HEADER_CAP]
    text, attachments = _body(msg, notes)
    for part in msg.walk():
        if part is not msg:
            for defect in part.defects:
                notes.add(f"MIME defect: {type(defect).__name__}")
    return MailMessage(
        message_id=message_id,
        subject=header_text(msg.get("subject"), notes)[:HEADER_CAP],
        sender=senders[0] if senders else Address("", ""),
        to=_addresses(msg.get_all("to") or [], notes),
        cc=_addresses(msg.get_all("cc") or [], notes),
        date=_date(msg, notes),
        text=text,
        headers=headers,
        attachments=attachments,
        size=len(raw),
        notes=tuple(notes.items),
    )
