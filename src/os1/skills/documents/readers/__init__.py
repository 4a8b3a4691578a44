"""Readers that turn one file format into a :class:`~os1.skills.documents.model.Document`.

One reader per format, each a module with ``read(path, *, max_pages) -> Document``:

- :mod:`.pdf` — PDF text and layout (pypdfium2) into headings and paragraphs, OCR for scans;
- :mod:`.docx` — Word documents ("Heading N" styles become heading levels);
- :mod:`.epub` — EPUB books, one chapter per spine item (uses :mod:`.html`);
- :mod:`.html` — web pages;
- :mod:`.markdown` — Markdown;
- :mod:`.text` — plain text: encoding detection, Project Gutenberg chapters and licence;
- :mod:`.common` — helpers they share (cleaning text, guessing a title, filling in sections).

``max_pages`` only matters for paged formats (PDF); the others ignore it. Readers raise
:class:`~os1.skills.documents.model.DocumentError` with a message a user understands.
:func:`os1.skills.documents.extract.extract` picks the reader and does the checks common to all.
"""
