"""The core's events as typed Qt signals: one signal per event kind, each carrying its event
dataclass, so that each kind has one handler (``Controller``) and widgets can listen to just
the kinds they show. :meth:`CoreEvents.deliver` is the core's subscriber."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, SignalInstance

from messenger.api import (
    CircleEvent,
    CirclesChanged,
    CodeClosedEvent,
    CodeEvent,
    DmEvent,
    DmRequestEvent,
    DmSentEvent,
    DmStateEvent,
    ErrorEvent,
    Event,
    Info,
    JoinRequestEvent,
    KeyChangedEvent,
    MemberRemovedEvent,
    PeerConnectedEvent,
    PeerLostEvent,
    PostEvent,
    PostHiddenEvent,
    ReportEvent,
    RulesEvent,
    TypingEvent,
    WrongCodeEvent,
)

log = logging.getLogger(__name__)


class CoreEvents(QObject):
    post = Signal(PostEvent)
    postHidden = Signal(PostHiddenEvent)
    circlesChanged = Signal(CirclesChanged)
    circle = Signal(CircleEvent)
    peerConnected = Signal(PeerConnectedEvent)
    peerLost = Signal(PeerLostEvent)
    keyChanged = Signal(KeyChangedEvent)
    memberRemoved = Signal(MemberRemovedEvent)
    dm = Signal(DmEvent)
    dmSent = Signal(DmSentEvent)
    dmRequest = Signal(DmRequestEvent)
    dmState = Signal(DmStateEvent)
    typing = Signal(TypingEvent)
    joinRequest = Signal(JoinRequestEvent)
    code = Signal(CodeEvent)
    wrongCode = Signal(WrongCodeEvent)
    codeClosed = Signal(CodeClosedEvent)
    rules = Signal(RulesEvent)
    report = Signal(ReportEvent)
    info = Signal(Info)
    error = Signal(ErrorEvent)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_kind: dict[type[Event], SignalInstance] = {
            PostEvent: self.post,
            PostHiddenEvent: self.postHidden,
            CirclesChanged: self.circlesChanged,
            CircleEvent: self.circle,
            PeerConnectedEvent: self.peerConnected,
            PeerLostEvent: self.peerLost,
            KeyChangedEvent: self.keyChanged,
            MemberRemovedEvent: self.memberRemoved,
            DmEvent: self.dm,
            DmSentEvent: self.dmSent,
            DmRequestEvent: self.dmRequest,
            DmStateEvent: self.dmState,
            TypingEvent: self.typing,
            JoinRequestEvent: self.joinRequest,
            CodeEvent: self.code,
            WrongCodeEvent: self.wrongCode,
            CodeClosedEvent: self.codeClosed,
            RulesEvent: self.rules,
            ReportEvent: self.report,
            Info: self.info,
            ErrorEvent: self.error,
        }

    def deliver(self, event: Event) -> None:
        """The core's subscriber: the event's own signal (kinds the app does not show, such
        as the terminal's listings, are ignored)."""
        signal = self._by_kind.get(type(event))
        if signal is not None:
            signal.emit(event)
        else:
            log.debug("no signal for a %s event", event.name)
