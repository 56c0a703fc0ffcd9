"""Database schema. Times that come from recordings are epoch milliseconds
(``*_ts``); times the server observes are epoch milliseconds too (``*_at``), so
every comparison is between integers on every database.

One module for the whole schema (past the usual size): the Alembic migration and
anyone reading relationships see every table in one place."""
from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import (JSON, BigInteger, Boolean, Float, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint,
                        false, true)
from sqlalchemy.orm import DeclarativeBase, Mapped, WriteOnlyMapped, mapped_column, registry, relationship

SESSION_ID_LENGTH = 64


class Base(DeclarativeBase):
    registry = registry(type_annotation_map={dict[str, Any]: JSON, list[Any]: JSON})


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    # Per-project detector overrides, goal URL patterns, privacy switches.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)

    sessions: Mapped[list["Session"]] = relationship(back_populates="project", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name!r}>"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[Optional[str]] = mapped_column(String(300))
    # "admin": every project, as its admin, and the people and tokens of everyone;
    # "member": only the projects of its memberships, with their roles.
    role: Mapped[str] = mapped_column(String(20), default="member")
    created_at: Mapped[int] = mapped_column(BigInteger)
    # Part of every cookie; sign-out, a password change or removal moves it on, so
    # every cookie signed before stops working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"


class Membership(Base):
    """A reviewer's role in one project: ``viewer`` reads, ``member`` also writes notes,
    findings, studies and experiments, ``admin`` also manages the project."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[int] = mapped_column(BigInteger)


class ApiToken(Base):
    """A reviewer API token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # None: no access
    created_at: Mapped[int] = mapped_column(BigInteger)
    last_used_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    expires_at: Mapped[Optional[int]] = mapped_column(BigInteger)  # None: until revoked
    read_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # False: only the projects of ``projects`` (still within its owner's memberships).
    all_projects: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    projects: Mapped[list["ApiTokenProject"]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r}>"


class ApiTokenProject(Base):
    """A project a scoped token may reach."""

    __tablename__ = "api_token_projects"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)


class LoginFailure(Base):
    """A failed sign-in, counted per account and per client address (``subject``)
    to slow password guessing; rows older than the window are pruned."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_subject_at", "subject", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(400))  # "account:<email>" | "address:<ip>"
    at: Mapped[int] = mapped_column(BigInteger, index=True)


class LoginLink(Base):
    """A one-time sign-in link (printed by ``make run`` for the first admin)."""

    __tablename__ = "login_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[Optional[int]] = mapped_column(BigInteger)


class Session(Base):
    """One recorded visit: the SDK's ``session_id`` is the primary key."""

    __tablename__ = "sessions"
    __table_args__ = (
        Index("ix_sessions_project_started", "project_id", "started_at"),
        Index("ix_sessions_analysis_due", "analysis_due_at"),
        Index("ix_sessions_assets_due", "assets_due_at"),
    )

    id: Mapped[str] = mapped_column(String(SESSION_ID_LENGTH), primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    started_at: Mapped[int] = mapped_column(BigInteger)  # first event timestamp
    ended_at: Mapped[int] = mapped_column(BigInteger)  # last event timestamp
    first_received_at: Mapped[int] = mapped_column(BigInteger)
    last_received_at: Mapped[int] = mapped_column(BigInteger)
    entry_url: Mapped[str] = mapped_column(Text, default="")
    referrer: Mapped[str] = mapped_column(Text, default="")
    user_agent: Mapped[str] = mapped_column(Text, default="")
    viewport_w: Mapped[Optional[int]]
    viewport_h: Mapped[Optional[int]]
    distinct_id: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    sdk_version: Mapped[str] = mapped_column(String(40), default="")
    study: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    participant: Mapped[Optional[str]] = mapped_column(String(200), index=True)
    event_count: Mapped[int] = mapped_column(default=0)
    batch_count: Mapped[int] = mapped_column(default=0)
    raw_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    stored_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    click_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    pageview_count: Mapped[int] = mapped_column(default=0)
    # The engineer's context (console and network plugin events), counted per batch at
    # ingest and over the whole stream by analysis; None: no request with a known duration.
    console_error_count: Mapped[int] = mapped_column(default=0, server_default="0")
    failed_request_count: Mapped[int] = mapped_column(default=0, server_default="0")
    slowest_request_ms: Mapped[Optional[int]]
    frustration_score: Mapped[float] = mapped_column(Float, default=0.0)
    # Analysis is due at this time (set on every batch; a lease while it runs).
    analysis_due_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    analysis_version: Mapped[Optional[str]] = mapped_column(String(80))
    analyzed_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    compacted_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    # Its stylesheets and fonts are to be cached then (set by a batch; a lease while it runs).
    assets_due_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    # An observer is in the live room until then (heartbeats push it); ingest then
    # answers live: true so the SDK flushes faster, and hands over moderator commands.
    watched_until: Mapped[Optional[int]] = mapped_column(BigInteger)

    project: Mapped[Project] = relationship(back_populates="sessions")
    receipts: WriteOnlyMapped["BatchReceipt"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    chunks: WriteOnlyMapped["EventChunk"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    pages: Mapped[list["SessionPage"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SessionPage.ts"
    )
    variants: Mapped[list["SessionVariant"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    signals: Mapped[list["Signal"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Signal.ts"
    )
    annotations: Mapped[list["Annotation"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Annotation.ts"
    )

    @property
    def duration_ms(self) -> int:
        return max(0, self.ended_at - self.started_at)

    def __repr__(self) -> str:
        return f"<Session {self.id} project={self.project_id} events={self.event_count}>"


class BatchReceipt(Base):
    """Proof that a batch was stored; outlives compaction so retries stay duplicates."""

    __tablename__ = "batch_receipts"
    __table_args__ = (UniqueConstraint("session_id", "window_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    window_id: Mapped[str] = mapped_column(String(SESSION_ID_LENGTH))
    seq: Mapped[int] = mapped_column(BigInteger)
    event_count: Mapped[int]
    received_at: Mapped[int] = mapped_column(BigInteger)


class EventChunk(Base):
    """Events of a session in a blob: one per batch, or one compacted, seekable blob.

    ``frames`` (compacted form only) lists ``[offset, length, first_ts, last_ts, count]``
    of independently compressed frames, so a reader can fetch one range of the blob.
    """

    __tablename__ = "event_chunks"
    __table_args__ = (Index("ix_event_chunks_session_first", "session_id", "first_ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    form: Mapped[str] = mapped_column(String(10))  # "batch" | "compact"
    blob_key: Mapped[str] = mapped_column(String(300))
    first_ts: Mapped[int] = mapped_column(BigInteger)
    last_ts: Mapped[int] = mapped_column(BigInteger)
    event_count: Mapped[int]
    raw_bytes: Mapped[int] = mapped_column(BigInteger)
    stored_bytes: Mapped[int] = mapped_column(BigInteger)
    dictionary_id: Mapped[Optional[int]] = mapped_column(ForeignKey("compression_dictionaries.id"))
    frames: Mapped[Optional[list[Any]]]
    created_at: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<EventChunk {self.id} {self.form} {self.session_id} n={self.event_count}>"


class SessionPage(Base):
    """A navigation seen in the stream (Meta or ``$pageview``), kept for URL filters."""

    __tablename__ = "session_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    ts: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(Text, default="")


class SessionMark(Base):
    """A custom event worth querying without reading the stream: ``$task`` steps
    (``name`` = task_id, ``status``) and the product's own events (``name`` = tag)."""

    __tablename__ = "session_marks"
    __table_args__ = (Index("ix_session_marks_session_kind", "session_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "task" | "custom"
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="")
    ts: Mapped[int] = mapped_column(BigInteger)


class SessionAnswer(Base):
    """A study participant's answer (``$answer``): the SEQ after a task, a SUS statement,
    or their comment. ``value`` is text; the report reads ratings from it."""

    __tablename__ = "session_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[Optional[str]] = mapped_column(String(200))
    value: Mapped[str] = mapped_column(Text)
    ts: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<SessionAnswer {self.session_id} {self.question}={self.value[:20]!r}>"


class SessionVariant(Base):
    __tablename__ = "session_variants"
    __table_args__ = (UniqueConstraint("session_id", "experiment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    experiment: Mapped[str] = mapped_column(String(200), index=True)
    variant: Mapped[str] = mapped_column(String(200))


class Signal(Base):
    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    ts: Mapped[int] = mapped_column(BigInteger)
    end_ts: Mapped[int] = mapped_column(BigInteger)
    url: Mapped[str] = mapped_column(Text, default="")
    x: Mapped[Optional[float]]
    y: Mapped[Optional[float]]
    target: Mapped[Optional[dict[str, Any]]]
    count: Mapped[int] = mapped_column(default=1)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "ts": self.ts, "end_ts": self.end_ts, "url": self.url,
            "x": self.x, "y": self.y, "target": self.target, "count": self.count, "details": self.details,
        }


class CompressionDictionary(Base):
    """A zstd dictionary trained on a project's earlier sessions."""

    __tablename__ = "compression_dictionaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    trained_on_sessions: Mapped[int]
    created_at: Mapped[int] = mapped_column(BigInteger)


class StoredBlob(Base):
    """Blob bytes for the ``db://`` blob store."""

    __tablename__ = "blobs"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Finding(Base):
    """A usability problem, backed by annotations (its evidence) across sessions."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int] = mapped_column(default=2)
    status: Mapped[str] = mapped_column(String(20), default="open")
    tags: Mapped[list[Any]] = mapped_column(default=list)
    variant: Mapped[Optional[str]] = mapped_column(String(401))  # "experiment:variant"
    author: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)

    evidence: Mapped[list["Annotation"]] = relationship(back_populates="finding", order_by="Annotation.id")

    def __repr__(self) -> str:
        return f"<Finding {self.id} {self.title!r} {self.status}>"


class Annotation(Base):
    """A timestamped note on a session (``ts`` is epoch ms on the recording's clock)."""

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    ts: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[Any]] = mapped_column(default=list)
    severity: Mapped[int] = mapped_column(default=2)
    finding_id: Mapped[Optional[int]] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"), index=True)
    author: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)

    finding: Mapped[Optional[Finding]] = relationship(back_populates="evidence")

    def __repr__(self) -> str:
        return f"<Annotation {self.id} session={self.session_id} ts={self.ts}>"


class CachedAsset(Base):
    """The last fetch of a recorded site's stylesheet, font or image URL: the bytes it
    gave (``sha256``), or None and the failure (``status``). Sessions recorded soon after
    reuse it; later ones fetch again (the site may have changed)."""

    __tablename__ = "cached_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    url_hash: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[Optional[str]] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(default=0)  # HTTP status of the fetch; 0 = not fetched yet, -1 refused
    fetched_at: Mapped[int] = mapped_column(BigInteger)


class AssetFile(Base):
    """The bytes of a cached asset, stored once by their SHA-256 (``assets/<sha256>`` in
    the blob store) however many URLs, sessions and projects use them. Copies cached
    before migration 0008 keep their old key: the SHA-256 of their URL."""

    __tablename__ = "asset_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    blob_key: Mapped[str] = mapped_column(String(300))
    # A stylesheet's text names its fonts, images and imports by their files' hashes (URLs
    # relative to its own, so it works wherever it is served): {original url: sha256}.
    parts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<AssetFile {self.sha256[:12]} {self.size} B>"


class SessionAsset(Base):
    """A URL a session's replay uses, and the bytes it had when the session was
    recorded: the session's own map, which a later fetch of the URL never changes."""

    __tablename__ = "session_assets"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    url_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(ForeignKey("asset_files.sha256"), index=True)

    def __repr__(self) -> str:
        return f"<SessionAsset {self.session_id} {self.url!r}>"


class Experiment(Base):
    """An A/B test: variants with weights; ``decide`` assigns a distinct_id deterministically."""

    __tablename__ = "experiments"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    variants: Mapped[list[Any]] = mapped_column(default=list)  # [{"name": "A", "weight": 50}, ...]
    goal: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"url": glob} | {"event": tag} | {"task": id}
    status: Mapped[str] = mapped_column(String(20), default="running")
    created_at: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<Experiment {self.id} {self.name!r}>"


class Study(Base):
    """A usability study: tasks for participants who arrive through invite links."""

    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)  # sent by the SDK as meta.study
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    product_url: Mapped[str] = mapped_column(Text)  # where invite links send participants
    created_at: Mapped[int] = mapped_column(BigInteger)
    # Think-aloud: the widget asks consent (this text), then records the microphone (and
    # the camera, when asked) with the session; observers hear it live.
    think_aloud: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    camera: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    consent_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    tasks: Mapped[list["StudyTask"]] = relationship(
        back_populates="study", cascade="all, delete-orphan", passive_deletes=True, order_by="StudyTask.position"
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="study", cascade="all, delete-orphan", passive_deletes=True, order_by="Participant.id"
    )

    def __repr__(self) -> str:
        return f"<Study {self.id} {self.slug!r}>"


class StudyTask(Base):
    __tablename__ = "study_tasks"
    __table_args__ = (UniqueConstraint("study_id", "task_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    task_key: Mapped[str] = mapped_column(String(200))  # the task_id of `$task` events
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    instructions: Mapped[str] = mapped_column(Text, default="")
    success_url: Mapped[Optional[str]] = mapped_column(Text)  # glob
    success_event: Mapped[Optional[str]] = mapped_column(String(200))  # custom event tag

    study: Mapped[Study] = relationship(back_populates="tasks")


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("study_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(200))  # sent by the SDK as meta.participant
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[int] = mapped_column(BigInteger)

    study: Mapped[Study] = relationship(back_populates="participants")


class LiveCommand(Base):
    """A moderator message for the participant of a live session, handed to the SDK
    in the next ingest answer (any server process can deliver it)."""

    __tablename__ = "live_commands"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[int] = mapped_column(BigInteger)
    delivered_at: Mapped[Optional[int]] = mapped_column(BigInteger, index=True)


class MediaChunk(Base):
    """A piece of a think-aloud recording as the widget uploads it (one MediaRecorder
    timeslice); a recording is its chunks in ``seq`` order. The unique key makes a
    retried upload a duplicate, stored once. Bytes live in the blob store under the
    session's prefix, so they go with the session."""

    __tablename__ = "media_chunks"
    __table_args__ = (UniqueConstraint("session_id", "recording_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    recording_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))  # audio | video
    mime: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[int] = mapped_column(BigInteger)  # the recording's start, on the page's clock (as events)
    size: Mapped[int]
    blob_key: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<MediaChunk {self.session_id} {self.recording_id}#{self.seq} {self.size} B>"


class LiveChatMessage(Base):
    """A line of the observers' private chat in a live room: observers only (the
    participant's page never receives it), not a note (it is not on the timeline)."""

    __tablename__ = "live_chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<LiveChatMessage {self.session_id} {self.author!r}>"


class Webhook(Base):
    """A receiver told about a project's events (``finding.created``, ...). The secret
    signs every delivery's body (HMAC-SHA256), so the receiver can tell it is us."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[Any]] = mapped_column(default=list)
    secret: Mapped[str] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[int] = mapped_column(BigInteger)


class WebhookDelivery(Base):
    """One event on its way to one webhook: written in the same transaction as what
    caused it, sent by the job runner, retried with backoff until it is delivered or its
    retry window ends. ``due_at`` is the next attempt (a lease while one runs); None
    once ``state`` is ``delivered`` or ``failed``."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "due_at"),
                      Index("ix_webhook_deliveries_webhook_created", "webhook_id", "created_at"),
                      Index("ix_webhook_deliveries_dedupe", "dedupe_key", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Events that must not repeat within a while (a spike of one kind on one page).
    dedupe_key: Mapped[Optional[str]] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[Optional[int]]
    created_at: Mapped[int] = mapped_column(BigInteger)
    due_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    finished_at: Mapped[Optional[int]] = mapped_column(BigInteger)

    log: Mapped[list["WebhookAttempt"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="WebhookAttempt.id"
    )


class WebhookAttempt(Base):
    """One try at a delivery: the receiver's status code, or why there was none."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    at: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[Optional[int]]
    error: Mapped[str] = mapped_column(String(300), default="")
    duration_ms: Mapped[int] = mapped_column(default=0)


class ShareLink(Base):
    """A read-only link to one session (or a range of it) that opens without signing in.

    The token is stored as it is, not hashed like API tokens: it grants a view of one
    replay, which anyone who can read this table can watch anyway, and the project's
    list of live links can then offer each link again."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    from_ms: Mapped[Optional[int]] = mapped_column(BigInteger)  # into the session
    to_ms: Mapped[Optional[int]] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    revoked_at: Mapped[Optional[int]] = mapped_column(BigInteger)


class VideoClip(Base):
    """A video of replay moments: one range of a session, or a finding's highlight reel
    (its segments, one per note). Rendered by the job runner (``server/clips``); the
    bytes live in the blob store at ``blob_key`` once ``state`` is ``done``. ``due_at``
    is when a render is (re)tried, a lease while one runs, None once done or failed."""

    __tablename__ = "clips"
    __table_args__ = (Index("ix_clips_due", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    # The finding whose evidence it shows (a highlight reel); the reel outlives it.
    finding_id: Mapped[Optional[int]] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"), index=True)
    format: Mapped[str] = mapped_column(String(8))  # mp4 | webm | gif
    fps: Mapped[int]
    duration_ms: Mapped[int] = mapped_column(BigInteger)  # of the video: the segments' sum
    state: Mapped[str] = mapped_column(String(10), default="queued")  # queued | rendering | done | failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(String(300), default="")
    blob_key: Mapped[Optional[str]] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    width: Mapped[Optional[int]]
    height: Mapped[Optional[int]]
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[int] = mapped_column(BigInteger)
    due_at: Mapped[Optional[int]] = mapped_column(BigInteger)
    finished_at: Mapped[Optional[int]] = mapped_column(BigInteger)

    segments: Mapped[list["ClipSegment"]] = relationship(
        back_populates="clip", cascade="all, delete-orphan", passive_deletes=True, order_by="ClipSegment.position"
    )

    def __repr__(self) -> str:
        return f"<VideoClip {self.id} {self.format} {self.state} {self.progress:.0%}>"


class ClipSegment(Base):
    """One range of one session in a clip, with the caption shown over it. A clip
    goes with any session it shows (``storage/removal.py`` removes its bytes first)."""

    __tablename__ = "clip_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    clip_id: Mapped[int] = mapped_column(ForeignKey("clips.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    from_ms: Mapped[int] = mapped_column(BigInteger)  # into the session
    to_ms: Mapped[int] = mapped_column(BigInteger)
    caption: Mapped[str] = mapped_column(Text, default="")

    clip: Mapped[VideoClip] = relationship(back_populates="segments")


class SessionWatch(Base):
    """A reviewer opened a session's player: the list tells watched from unwatched, per
    reviewer. Goes with the session or the reviewer."""

    __tablename__ = "session_watches"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True, index=True)
    watched_at: Mapped[int] = mapped_column(BigInteger)  # the latest opening


class SavedView(Base):
    """A reviewer's named set of session-list filters: the list's query string, kept as
    it is and read again by the same parser, so a view never outlives what it means."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    query: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"<SavedView {self.id} {self.name!r}>"
