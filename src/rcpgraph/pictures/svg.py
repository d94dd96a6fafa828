"""A small SVG writer: escaped text and attributes, rounded numbers, so a picture is always the same bytes."""

from __future__ import annotations

from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


def number(value: float) -> str:
    """`value` rounded to a tenth, without a trailing `.0` (`12`, `3.5`, `-0` written `0`)."""
    text = f"{round(value, 1):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def element(tag: str, content: str = "", **attributes: object) -> str:
    """One element; an attribute `class_` is written `class`, `font_size` is written `font-size`, None is left out."""
    written = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{_value(value)}"'
        for name, value in attributes.items()
        if value is not None
    )
    return f"<{tag}{written}>{content}</{tag}>" if content else f"<{tag}{written}/>"


def text(content: str) -> str:
    """Text escaped for an element's content."""
    return escape(content, quote=False)


def link(href: str, label: str, *content: str) -> str:
    """A link around `content`, with `label` as its title (a tooltip, and its name for screen readers)."""
    return element("a", element("title", text(label)) + "".join(content), href=href, target="_top")


def document(key: str, size: tuple[float, float], title: str, description: str, body: list[str]) -> str:
    """A whole SVG document: its title and description first (ids made from `key`), then `body`; drawn at its size
    (a page's stylesheet scales it)."""
    width, height = size
    labelled = f"{key}-title {key}-desc"
    head = element("title", text(title), id=f"{key}-title") + element("desc", text(description), id=f"{key}-desc")
    root = element(
        "svg",
        head + "".join(body),
        xmlns="http://www.w3.org/2000/svg",
        width=number(width),
        height=number(height),
        viewBox=f"0 0 {number(width)} {number(height)}",
        role="group",
        aria_labelledby=labelled,
        font_family=FONT,
        font_size=12,
    )
    return root + "\n"


def _value(value: object) -> str:
    """An attribute's value: numbers rounded, text escaped."""
    if isinstance(value, float):
        return number(value)
    return escape(str(value), quote=True)
