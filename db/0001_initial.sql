-- Liaison Desk schema, version 1. Applied inside one transaction; PRAGMA user_version is set by the runner.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One imported document (or pasted text).
CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    title       TEXT,
    issuer      TEXT,
    doc_number  TEXT,
    doc_date    TEXT,
    year        INTEGER,
    imported_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES sources(id)
);
CREATE INDEX sources_sha256 ON sources(sha256);

CREATE TABLE departments (
    name       TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL
);

-- alias -> canonical unit name ("市大数据中心" -> "大数据中心"); editable by the user.
CREATE TABLE department_aliases (
    alias TEXT PRIMARY KEY,
    name  TEXT NOT NULL
);

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY,
    source_id        INTEGER REFERENCES sources(id),
    table_no         INTEGER NOT NULL DEFAULT 0,
    seq              TEXT NOT NULL DEFAULT '',
    group_name       TEXT NOT NULL DEFAULT '',
    content          TEXT NOT NULL,
    lead_text        TEXT NOT NULL DEFAULT '',
    cooperating_text TEXT NOT NULL DEFAULT '',
    deadline_text    TEXT NOT NULL DEFAULT '',
    deadline         TEXT,
    match_key        TEXT NOT NULL DEFAULT '',
    cells_json       TEXT NOT NULL DEFAULT '{}',
    archived_at      TEXT,
    position         INTEGER NOT NULL DEFAULT 0  -- row order within its table (kept across re-imports)
);
CREATE INDEX tasks_source ON tasks(source_id);
CREATE INDEX tasks_match ON tasks(match_key);

CREATE TABLE task_departments (
    task_id    INTEGER NOT NULL REFERENCES tasks(id),
    department TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('lead', 'cooperating')),
    PRIMARY KEY (task_id, department, role)
);
CREATE INDEX task_departments_dept ON task_departments(department);

CREATE TABLE indicators (
    id             INTEGER PRIMARY KEY,
    source_id      INTEGER REFERENCES sources(id),
    table_no       INTEGER NOT NULL DEFAULT 0,
    category       TEXT NOT NULL DEFAULT '',
    category_score REAL,
    level1         TEXT NOT NULL DEFAULT '',
    level1_score   REAL,
    level2         TEXT NOT NULL DEFAULT '',
    explanation    TEXT NOT NULL DEFAULT '',
    score          REAL,
    score_text     TEXT NOT NULL DEFAULT '',
    shared_group   INTEGER,
    departments_text TEXT NOT NULL DEFAULT '',
    match_key      TEXT NOT NULL DEFAULT '',
    cells_json     TEXT NOT NULL DEFAULT '{}',
    archived_at    TEXT,
    position       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX indicators_source ON indicators(source_id);

CREATE TABLE indicator_departments (
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    department   TEXT NOT NULL,
    PRIMARY KEY (indicator_id, department)
);

CREATE TABLE items (
    id               INTEGER PRIMARY KEY,
    source_id        INTEGER REFERENCES sources(id),
    table_no         INTEGER NOT NULL DEFAULT 0,
    seq              TEXT NOT NULL DEFAULT '',
    name             TEXT NOT NULL,
    category         TEXT NOT NULL DEFAULT '',
    lead_text        TEXT NOT NULL DEFAULT '',
    cooperating_text TEXT NOT NULL DEFAULT '',
    match_key        TEXT NOT NULL DEFAULT '',
    cells_json       TEXT NOT NULL DEFAULT '{}',
    archived_at      TEXT,
    position         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX items_source ON items(source_id);

CREATE TABLE item_departments (
    item_id    INTEGER NOT NULL REFERENCES items(id),
    department TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('lead', 'cooperating')),
    PRIMARY KEY (item_id, department, role)
);

-- Status of a task, indicator or item for one unit.
CREATE TABLE progress (
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('task', 'indicator', 'item')),
    target_id    INTEGER NOT NULL,
    department   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done', 'na')),
    note         TEXT NOT NULL DEFAULT '',
    completed_on TEXT,
    self_score   REAL,
    updated_by   TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (target_kind, target_id, department)
);

-- Evidence metadata; the bytes live in vault/ab/abcdef... named by sha256.
CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL,
    original_name TEXT NOT NULL,
    size          INTEGER NOT NULL,
    media_type    TEXT NOT NULL DEFAULT 'application/octet-stream',
    evidence_date TEXT,
    note          TEXT NOT NULL DEFAULT '',
    added_at      TEXT NOT NULL,
    added_by      TEXT
);
CREATE INDEX evidence_sha256 ON evidence(sha256);

CREATE TABLE evidence_links (
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('task', 'indicator', 'case')),
    target_id   INTEGER NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (evidence_id, target_kind, target_id)
);
CREATE INDEX evidence_links_target ON evidence_links(target_kind, target_id);

-- Monthly practice/case reports (每月提炼 1 条做法经验、案例).
CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    department   TEXT NOT NULL,
    month        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('practice', 'case')),
    title        TEXT NOT NULL,
    background   TEXT NOT NULL DEFAULT '',
    practice     TEXT NOT NULL DEFAULT '',
    effect       TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
    finalised_on TEXT,
    revision     INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX cases_dept_month ON cases(department, month);

CREATE TABLE case_tasks (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    PRIMARY KEY (case_id, task_id)
);

-- Earlier texts of a case report, kept when a finalised report is edited.
CREATE TABLE case_revisions (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    revision  INTEGER NOT NULL,
    snapshot  TEXT NOT NULL,
    saved_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, revision)
);

-- Append-only; each row carries the SHA-256 of the previous row, so an edited or deleted row is detected.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    target    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_target ON audit_log(target);
