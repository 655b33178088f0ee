"""Message bubbles: pseudonym, avatar, time, delivery state, click-to-reveal content warnings,
the post a reply answers (quoted above its text) and reaction chips with counts (click to give or
take back yours).

Heights are cheap to ask for: a wrapped text's size is measured once per (text, width) and kept,
so a conversation of 100,000 posts lays out and scrolls without measuring a text twice. Everything
a bubble needs is computed by :meth:`BubbleDelegate.geometry`, used by both painting and clicks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from messenger.views import DeliveryState, PostView

from .. import theme
from ..avatar import paint_avatar
from ..models.conversation import ConversationModel, PostRole
from .reaction_words import reaction_label

ModelIndex = QModelIndex | QPersistentModelIndex

MARGIN_H = 18  # between the view's edge and the avatar or bubble
AVATAR = 34
AVATAR_GAP = 10
PAD_H = 12
PAD_V = 8
GROUP_GAP = 12  # above a post that starts a new author's group
CONTINUED_GAP = 3  # above a post that continues the group
LINE_GAP = 3
MAX_BUBBLE = 560
MINE_INDENT = 0.22  # mine leave this share of the width free on the left
MAX_MEASURES = 50_000  # text sizes kept per line width
QUOTE_PAD = 6  # inside the quote box
QUOTE_BAR = 3  # the accent bar on the quote's left
CHIP_PAD = 8  # left and right inside a reaction chip
CHIP_GAP = 6  # between chips, and above the row of chips


@dataclass(frozen=True)
class TextSize:
    width: float
    height: float
    anywhere: bool  # a word was longer than the line: wrap it mid-word when painting


def _pack(size: TextSize) -> int:
    """A size in one small int (quarter pixels): 100,000 cached sizes stay a few megabytes."""
    width = min(math.ceil(size.width * 4), (1 << 16) - 1)  # rounded up: the text still fits
    return (math.ceil(size.height * 4) << 17) | (width << 1) | int(size.anywhere)


def _unpack(packed: int) -> TextSize:
    return TextSize(((packed >> 1) & 0xFFFF) / 4, (packed >> 17) / 4, bool(packed & 1))


@dataclass(frozen=True)
class BubbleGeometry:
    bubble: QRectF
    avatar: QRectF | None
    header: QRectF | None  # the pseudonym line
    warning: QRectF | None  # the content-warning box (click to reveal)
    body: QRectF | None
    footer: QRectF
    quote: QRectF | None = None  # the answered post, above the text
    chips: tuple[tuple[str, QRectF], ...] = ()  # (reaction name, where its chip is)


WRAP_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft)
ALIGN_RIGHT_CENTER = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class BubbleDelegate(QStyledItemDelegate):
    """Paints :class:`~ui.models.conversation.ConversationModel` rows as chat bubbles."""

    reactionClicked = Signal(object, str)  # PostView, reaction name: give it or take mine back

    def __init__(self, model: ConversationModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._width = 640
        # (line width, warning font) -> text -> packed size: see _pack
        self._measures: dict[tuple[int, bool], dict[str, int]] = {}
        self._heights: dict[bytes, int] = {}  # post id -> row height at the current width
        self.set_font(QFont())

    # -- configuration ---------------------------------------------------------------------
    def set_font(self, font: QFont) -> None:
        self.body_font = QFont(font)
        self.name_font = QFont(font)
        self.name_font.setBold(True)
        self.meta_font = QFont(font)
        size = font.pointSizeF()
        if size > 0:
            self.meta_font.setPointSizeF(max(7.0, size * 0.85))
        else:
            self.meta_font.setPixelSize(max(9, int(font.pixelSize() * 0.85)))
        self.warning_font = QFont(font)
        self.warning_font.setWeight(QFont.Weight.DemiBold)
        self.hidden_font = QFont(font)
        self.hidden_font.setItalic(True)
        self._fm_body = QFontMetricsF(self.body_font)
        self._fm_name = QFontMetricsF(self.name_font)
        self._fm_meta = QFontMetricsF(self.meta_font)
        self._fm_warning = QFontMetricsF(self.warning_font)
        self._line_height = self._fm_body.height()
        # a text with more characters than this many per line cannot fit on one line
        self._narrowest = max(1.0, self._fm_body.averageCharWidth() * 0.6)
        self._measures.clear()
        self._heights.clear()

    def set_width(self, width: int) -> bool:
        """The viewport's width; true when it changed (the rows must then be laid out again)."""
        width = max(200, width)
        if width == self._width:
            return False
        text_width = self.text_width()
        self._width = width
        if self.text_width() != text_width:
            self._heights.clear()
        return True

    @property
    def width(self) -> int:
        return self._width

    def cache_size(self) -> int:
        return sum(len(sizes) for sizes in self._measures.values())

    def forget_rows(self, first: int, last: int) -> None:
        """Rows whose height may have changed (revealed, hidden, a new neighbour above)."""
        for row in range(first, min(last, self._model.rowCount() - 1) + 1):
            self._heights.pop(self._model.post_at(row).id, None)

    def forget_all(self) -> None:
        self._heights.clear()

    def text_width(self) -> int:
        """The widest a line of text may be inside a bubble at the current width."""
        room = self._width - 2 * MARGIN_H - AVATAR - AVATAR_GAP
        bubble = min(MAX_BUBBLE, int(room * (1 - MINE_INDENT) + AVATAR + AVATAR_GAP))
        return max(80, bubble - 2 * PAD_H)

    # -- measuring -------------------------------------------------------------------------
    def measure(self, text: str, width: int, warning: bool = False) -> TextSize:
        """The wrapped size of ``text`` at ``width``, measured once and kept (bounded)."""
        sizes = self._measures.get((width, warning))
        if sizes is None:
            sizes = self._measures[(width, warning)] = {}
        packed = sizes.get(text)
        if packed is not None:
            return _unpack(packed)
        size = self._measure(text, width, warning)
        if len(sizes) >= MAX_MEASURES:  # row heights are kept apart; this only saves work
            sizes.clear()
        sizes[text] = _pack(size)
        return size

    def _measure(self, text: str, width: int, warning: bool) -> TextSize:
        fm = self._fm_warning if warning else self._fm_body
        if "\n" not in text and len(text) * self._narrowest <= width:
            advance = fm.horizontalAdvance(text)
            if advance <= width:  # one line: the common case, and the cheap one
                return TextSize(advance, fm.height(), False)
        rect = fm.boundingRect(QRectF(0, 0, width, 1_000_000), WRAP_FLAGS, text)
        if rect.width() <= width + 0.5:
            return TextSize(rect.width(), rect.height(), False)
        return self._measure_anywhere(text, width, warning)  # a link, a long word

    def _measure_anywhere(self, text: str, width: int, warning: bool) -> TextSize:
        layout = QTextLayout(text, self.warning_font if warning else self.body_font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        height, widest = 0.0, 0.0
        for _ in range(100_000):
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, height))
            height += line.height()
            widest = max(widest, line.naturalTextWidth())
        layout.endLayout()
        return TextSize(min(widest, float(width)), height, True)

    def warning_text(self, post: PostView) -> str:
        return self.tr("Content warning: {warning}").format(warning=post.content_warning)

    def reveal_hint(self, revealed: bool) -> str:
        return self.tr("Click to hide") if revealed else self.tr("Click to show")

    def hidden_text(self, post: PostView | None = None) -> str:
        if post is not None and self._model.is_deleted(post.id):
            return self.tr("This post was deleted.")
        return self.tr("This post is hidden.")

    # -- replies and reactions -------------------------------------------------------------
    def quote_lines(self, post: PostView) -> tuple[str, str] | None:
        """The two lines quoted above a reply (who, what), or None for a post that is no reply."""
        if post.reply_to is None or post.hidden:
            return None
        q = post.quote
        if q is None:
            return self.tr("In reply to an earlier post"), ""
        if q.deleted:
            return self.tr("In reply to a post that was deleted"), ""
        if q.hidden:
            return self.tr("In reply to a hidden post"), ""
        who = self.tr("In reply to {who}").format(who=q.author or self.tr("Anonymous"))
        return who, " ".join(q.body.split())

    def quote_height(self, post: PostView) -> float:
        lines = self.quote_lines(post)
        if lines is None:
            return 0.0
        count = 1 if not lines[1] else 2
        return count * self._fm_meta.height() + 2 * QUOTE_PAD + LINE_GAP

    def chip_text(self, name: str, count: int) -> str:
        return f"{reaction_label(name)}  {count}"

    def chip_layout(self, post: PostView, width: float) -> tuple[list[tuple[str, QRectF]], float]:
        """Where each reaction chip goes (relative to the row of chips), and the row's height."""
        if post.hidden or not post.reactions:
            return [], 0.0
        h = self._fm_meta.height() + 6
        x = y = 0.0
        placed: list[tuple[str, QRectF]] = []
        for r in post.reactions:
            w = self._fm_meta.horizontalAdvance(self.chip_text(r.name, r.count)) + 2 * CHIP_PAD
            if x > 0 and x + w > width:
                x, y = 0.0, y + h + CHIP_GAP
            placed.append((r.name, QRectF(x, y, w, h)))
            x += w + CHIP_GAP
        return placed, y + h + CHIP_GAP

    def geometry(self, row: int, top: float = 0.0) -> BubbleGeometry:
        """Where each part of row ``row``'s bubble goes, with the row starting at ``top``."""
        post = self._model.post_at(row)
        if self._model.is_notice(post.id):
            return self._notice_geometry(post, top)
        continued = self._model.is_continued(row)
        revealed = self._model.is_revealed(post.id)
        text_w = self.text_width()
        y = top + (CONTINUED_GAP if continued else GROUP_GAP) + PAD_V
        widest = 0.0
        header: QRectF | None = None
        warning: QRectF | None = None
        body: QRectF | None = None
        show_header = not post.mine and not continued
        if show_header:
            header = QRectF(0, y, 0, self._fm_name.height())
            widest = min(float(text_w), self._fm_name.horizontalAdvance(self.author_label(post)))
            y += self._fm_name.height() + LINE_GAP
        quote: QRectF | None = None
        quote_h = self.quote_height(post)
        if quote_h:
            lines = self.quote_lines(post)
            assert lines is not None
            advance = max(self._fm_meta.horizontalAdvance(t) for t in lines)
            quote_w = min(float(text_w), advance + 2 * QUOTE_PAD + QUOTE_BAR)
            quote = QRectF(0, y, quote_w, quote_h - LINE_GAP)
            widest = max(widest, quote_w)
            y += quote_h
        if post.hidden:
            size = self.measure(self.hidden_text(post), text_w)
            body = QRectF(0, y, size.width, size.height)
            widest = max(widest, size.width)
            y += size.height
        else:
            if post.content_warning:
                size = self.measure(self.warning_text(post), text_w - 16, warning=True)
                hint_h = self._fm_meta.height()
                box_h = size.height + LINE_GAP + hint_h + 12
                warning = QRectF(0, y, max(size.width, 0.0) + 16, box_h)
                widest = max(widest, warning.width())
                y += box_h
            if not post.content_warning or revealed:
                if warning is not None:
                    y += 6
                size = self.measure(post.body, text_w)
                body = QRectF(0, y, size.width, size.height)
                widest = max(widest, size.width)
                y += size.height
        chips, chips_h = self.chip_layout(post, float(text_w))
        chips_top = y + CHIP_GAP
        if chips:
            widest = max(widest, max(r.right() for _, r in chips))
            y += CHIP_GAP + chips_h - CHIP_GAP
        y += LINE_GAP + 1
        footer_text = self.footer_text(post)
        footer_w = self._fm_meta.horizontalAdvance(footer_text)
        widest = max(widest, min(float(text_w), footer_w))
        footer = QRectF(0, y, 0, self._fm_meta.height())
        y += self._fm_meta.height() + PAD_V
        bubble_w = widest + 2 * PAD_H
        if post.mine:
            left = self._width - MARGIN_H - bubble_w
            avatar = None
        else:
            left = MARGIN_H + AVATAR + AVATAR_GAP
            avatar = (
                None
                if continued
                else QRectF(MARGIN_H, top + GROUP_GAP, float(AVATAR), float(AVATAR))
            )
        bubble_top = top + (CONTINUED_GAP if continued else GROUP_GAP)
        bubble = QRectF(left, bubble_top, bubble_w, y - bubble_top)
        inner = left + PAD_H

        def placed(rect: QRectF | None, width: float) -> QRectF | None:
            if rect is None:
                return None
            return QRectF(inner, rect.top(), width, rect.height())

        return BubbleGeometry(
            bubble=bubble,
            avatar=avatar,
            header=placed(header, widest),
            warning=placed(warning, widest),
            body=placed(body, widest),
            footer=QRectF(inner, footer.top(), widest, footer.height()),
            quote=None
            if quote is None
            else QRectF(inner, quote.top(), quote.width(), quote.height()),
            chips=tuple((n, r.translated(inner, chips_top)) for n, r in chips),
        )

    def _notice_geometry(self, post: PostView, top: float) -> BubbleGeometry:
        """A timeline line: centred muted text, wrapped within the text width."""
        text_w = self.text_width()
        size = self.measure(post.body, text_w)
        left = (self._width - size.width) / 2
        body = QRectF(left, top + GROUP_GAP, size.width, size.height)
        area = QRectF(
            left - PAD_H, top + GROUP_GAP - PAD_V / 2, size.width + 2 * PAD_H, size.height + PAD_V
        )
        return BubbleGeometry(
            bubble=area,
            avatar=None,
            header=None,
            warning=None,
            body=body,
            footer=QRectF(left, body.bottom(), 0, 0),
        )

    def row_height(self, row: int) -> int:
        """The height of row ``row`` without building its geometry (the hot path)."""
        post = self._model.post_at(row)
        if self._model.is_notice(post.id):
            return int(self._notice_geometry(post, 0.0).bubble.bottom() + 0.999)
        continued = self._model.is_continued(row)
        text_w = self.text_width()
        h: float = (CONTINUED_GAP if continued else GROUP_GAP) + 2 * PAD_V
        if not post.mine and not continued:
            h += self._fm_name.height() + LINE_GAP
        h += self.quote_height(post)
        if post.hidden:
            h += self.measure(self.hidden_text(post), text_w).height
        else:
            if post.content_warning:
                size = self.measure(self.warning_text(post), text_w - 16, warning=True)
                h += size.height + LINE_GAP + self._fm_meta.height() + 12
            if not post.content_warning or self._model.is_revealed(post.id):
                if post.content_warning:
                    h += 6
                h += self.measure(post.body, text_w).height
        h += self.chip_layout(post, float(text_w))[1]
        h += LINE_GAP + 1 + self._fm_meta.height()
        if not post.mine and not continued:
            h = max(h, GROUP_GAP + AVATAR)
        return int(h + 0.999)

    # -- words -----------------------------------------------------------------------------
    def author_label(self, post: PostView) -> str:
        return post.author or self.tr("Anonymous")

    def state_label(self, state: DeliveryState) -> str:
        return {
            DeliveryState.QUEUED: self.tr("Waiting to send"),
            DeliveryState.SENT: self.tr("Sent"),
            DeliveryState.DELIVERED: self.tr("Delivered"),
            DeliveryState.READ: self.tr("Read"),
            DeliveryState.FAILED: self.tr("Not sent"),
        }[state]

    def time_label(self, ts: float, now: float | None = None) -> str:
        when = datetime.fromtimestamp(ts)
        today = datetime.fromtimestamp(now) if now is not None else datetime.now()
        if when.date() == today.date():
            return when.strftime("%H:%M")
        if abs((today.date() - when.date()).days) < 7:
            return when.strftime("%a %H:%M")
        return when.strftime("%d %b %Y, %H:%M")

    def footer_text(self, post: PostView) -> str:
        text = self.time_label(post.ts)
        if post.mine:
            text = self.tr("{time} · {state}").format(time=text, state=self.state_label(post.state))
        return text

    # -- Qt's interface --------------------------------------------------------------------
    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        row = index.row()
        post_id = self._model.post_at(row).id
        height = self._heights.get(post_id)
        if height is None:
            height = self._heights[post_id] = self.row_height(row)
        return QSize(self._width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row = index.row()
        post = self._model.post_at(row)
        c = theme.current()
        rect: QRect = option.rect
        g = self.geometry(row, float(rect.top()))
        dx = float(rect.left())
        if self._model.is_notice(post.id):
            self._paint_notice(painter, post, g, dx, option)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        bubble = g.bubble.translated(dx, 0)
        painter.setPen(QPen(QColor(c.border), 1))
        painter.setBrush(QColor(c.bubble_mine if post.mine else c.bubble_other))
        painter.drawRoundedRect(bubble.adjusted(0.5, 0.5, -0.5, -0.5), 12, 12)
        state = option.state
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(QColor(c.accent), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(bubble.adjusted(-2, -2, 2, 2), 13, 13)
        if g.avatar is not None:
            paint_avatar(painter, g.avatar.translated(dx, 0), post.author_key, post.author)
        if g.header is not None:
            painter.setFont(self.name_font)
            painter.setPen(QColor(c.text if post.author else c.muted))
            name = self._fm_name.elidedText(
                self.author_label(post), Qt.TextElideMode.ElideRight, g.header.width()
            )
            painter.drawText(g.header.translated(dx, 0), ALIGN_LEFT, name)
        if g.quote is not None:
            self._paint_quote(painter, post, g.quote.translated(dx, 0))
        for name, chip in g.chips:
            self._paint_chip(painter, post, name, chip.translated(dx, 0))
        if g.warning is not None:
            box = g.warning.translated(dx, 0)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.cw_bg))
            painter.drawRoundedRect(box, 8, 8)
            text = self.warning_text(post)
            size = self.measure(text, self.text_width() - 16, warning=True)
            text_rect = QRectF(box.left() + 8, box.top() + 6, box.width() - 16, size.height)
            painter.setFont(self.warning_font)
            painter.setPen(QColor(c.text))
            self._draw_text(painter, text_rect, text, size.anywhere)
            painter.setFont(self.meta_font)
            painter.setPen(QColor(c.muted))
            hint_rect = QRectF(
                text_rect.left(),
                text_rect.bottom() + LINE_GAP,
                text_rect.width(),
                self._fm_meta.height(),
            )
            hint = self.reveal_hint(self._model.is_revealed(post.id))
            painter.drawText(hint_rect, ALIGN_LEFT, hint)
        if g.body is not None:
            body = g.body.translated(dx, 0)
            if post.hidden:
                painter.setFont(self.hidden_font)
                painter.setPen(QColor(c.muted))
                painter.drawText(body, WRAP_FLAGS, self.hidden_text(post))
            else:
                painter.setFont(self.body_font)
                painter.setPen(QColor(c.text))
                size = self.measure(post.body, self.text_width())
                self._draw_text(painter, body, post.body, size.anywhere)
        painter.setFont(self.meta_font)
        failed = post.mine and post.state is DeliveryState.FAILED
        painter.setPen(QColor(c.danger if failed else c.muted))
        painter.drawText(
            g.footer.translated(dx, 0),
            ALIGN_RIGHT_CENTER,
            self.footer_text(post),
        )
        painter.restore()

    def _paint_notice(
        self,
        painter: QPainter,
        post: PostView,
        g: BubbleGeometry,
        dx: float,
        option: QStyleOptionViewItem,
    ) -> None:
        c = theme.current()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(QColor(c.accent), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(g.bubble.translated(dx, 0), 8, 8)
        assert g.body is not None
        painter.setFont(self.body_font)
        painter.setPen(QColor(c.muted))
        size = self.measure(post.body, self.text_width())
        if size.anywhere:
            self._draw_text(painter, g.body.translated(dx, 0), post.body, True)
        else:
            centred = int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap)
            painter.drawText(g.body.translated(dx, 0).adjusted(0, 0, 1, 0), centred, post.body)
        painter.restore()

    def _paint_quote(self, painter: QPainter, post: PostView, box: QRectF) -> None:
        c = theme.current()
        lines = self.quote_lines(post)
        assert lines is not None
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(c.cw_bg))
        painter.drawRoundedRect(box, 6, 6)
        painter.setBrush(QColor(c.accent))
        painter.drawRoundedRect(QRectF(box.left(), box.top(), QUOTE_BAR, box.height()), 1.5, 1.5)
        left = box.left() + QUOTE_BAR + QUOTE_PAD
        width = box.width() - QUOTE_BAR - 2 * QUOTE_PAD
        line_h = self._fm_meta.height()
        painter.setFont(self.meta_font)
        who, what = lines
        gone = post.quote is None or post.quote.deleted or post.quote.hidden
        painter.setPen(QColor(c.muted))
        top = box.top() + QUOTE_PAD
        elide = Qt.TextElideMode.ElideRight
        painter.drawText(
            QRectF(left, top, width, line_h),
            ALIGN_LEFT,
            self._fm_meta.elidedText(who, elide, width),
        )
        if what and not gone:
            painter.setPen(QColor(c.text))
            painter.drawText(
                QRectF(left, top + line_h, width, line_h),
                ALIGN_LEFT,
                self._fm_meta.elidedText(what, elide, width),
            )

    def _paint_chip(self, painter: QPainter, post: PostView, name: str, chip: QRectF) -> None:
        c = theme.current()
        reaction = next((r for r in post.reactions if r.name == name), None)
        if reaction is None:
            return
        painter.setPen(
            QPen(QColor(c.accent if reaction.mine else c.border), 1.5 if reaction.mine else 1)
        )
        painter.setBrush(QColor(c.cw_bg))
        painter.drawRoundedRect(
            chip.adjusted(0.5, 0.5, -0.5, -0.5), chip.height() / 2, chip.height() / 2
        )
        painter.setFont(self.meta_font)
        painter.setPen(QColor(c.text))
        painter.drawText(
            chip, int(Qt.AlignmentFlag.AlignCenter), self.chip_text(name, reaction.count)
        )

    def _draw_text(self, painter: QPainter, rect: QRectF, text: str, anywhere: bool) -> None:
        rect = rect.adjusted(0, 0, 1, 0)  # a pixel of slack: never wrap what was measured to fit
        if anywhere:
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            painter.drawText(rect, text, option)
        else:
            painter.drawText(rect, WRAP_FLAGS, text)

    def warning_rect(self, row: int, top: float) -> QRectF | None:
        return self.geometry(row, top).warning

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: ModelIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and index.isValid()
        ):
            post = self._model.post_at(index.row())
            if post.reactions and not post.hidden:
                rect0: QRect = option.rect
                pos0 = event.position()
                for name, chip in self.geometry(index.row(), float(rect0.top())).chips:
                    if chip.translated(float(rect0.left()), 0).contains(pos0):
                        self.reactionClicked.emit(post, name)
                        return True
            if post.content_warning and not post.hidden:
                rect: QRect = option.rect
                g = self.geometry(index.row(), float(rect.top()))
                pos = event.position()
                hit = g.warning is not None and g.warning.contains(pos)
                if hit or (g.bubble.contains(pos) and not self._model.is_revealed(post.id)):
                    self._model.setData(
                        index, not self._model.is_revealed(post.id), int(PostRole.REVEALED)
                    )
                    return True
        return super().editorEvent(event, model, option, index)
