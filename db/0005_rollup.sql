-- The office's desk (材料汇总): the units' signed packets taken in, what each one reported, and the certificates the
-- office trusts. Each packet is kept exactly as received, named by its SHA-256, under received/ab/abcdef…; these
-- tables say what its manifest and its report.xlsx said.

CREATE TABLE rollup_trust (
    fingerprint TEXT PRIMARY KEY,              -- SHA-256 of the certificate (DER), lower-case hex
    subject     TEXT NOT NULL,
    department  TEXT NOT NULL DEFAULT '',
    pem         TEXT NOT NULL,
    added_at    TEXT NOT NULL
);

CREATE TABLE rollup_packets (
    id               INTEGER PRIMARY KEY,
    manifest_sha256  TEXT NOT NULL UNIQUE,     -- the signed manifest: the same packet, however it was re-zipped
    sha256           TEXT NOT NULL,            -- of the zip file as received
    file_name        TEXT NOT NULL,
    size             INTEGER NOT NULL,
    department       TEXT NOT NULL,
    bureau           TEXT NOT NULL DEFAULT '',
    liaison          TEXT NOT NULL DEFAULT '',
    period           TEXT NOT NULL,            -- 2023, 2023-Q4, 2023-05
    period_label     TEXT NOT NULL,
    generated_at     TEXT NOT NULL,
    data_date        TEXT,                     -- the report's 数据截至 (its "today")
    signer_name      TEXT NOT NULL DEFAULT '',
    signer_sha256    TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    superseded_by    INTEGER REFERENCES rollup_packets(id),
    counts_json      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX rollup_packets_unit ON rollup_packets(department, period);

-- One row of a packet's 任务清单 sheet: a task as one unit reported it. task_key is the same for the same task in
-- every unit's packet (its document, 序号 and content).
CREATE TABLE rollup_tasks (
    packet_id        INTEGER NOT NULL REFERENCES rollup_packets(id),
    row_no           INTEGER NOT NULL,
    task_key         TEXT NOT NULL,
    source           TEXT NOT NULL DEFAULT '',
    seq              TEXT NOT NULL DEFAULT '',
    group_name       TEXT NOT NULL DEFAULT '',
    content          TEXT NOT NULL DEFAULT '',
    role             TEXT NOT NULL,
    lead_text        TEXT NOT NULL DEFAULT '',
    cooperating_text TEXT NOT NULL DEFAULT '',
    deadline_text    TEXT NOT NULL DEFAULT '',
    deadline         TEXT,
    status           TEXT NOT NULL,
    completed_on     TEXT,
    due              TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    evidence_count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (packet_id, row_no)
);
CREATE INDEX rollup_tasks_key ON rollup_tasks(task_key);

CREATE TABLE rollup_evidence (
    packet_id     INTEGER NOT NULL REFERENCES rollup_packets(id),
    path          TEXT NOT NULL,               -- evidence/… inside the packet
    original_name TEXT NOT NULL DEFAULT '',
    task_labels   TEXT NOT NULL DEFAULT '',    -- 关联任务序号 as the packet wrote it
    other_links   TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL DEFAULT 0,
    media_type    TEXT NOT NULL DEFAULT '',
    evidence_date TEXT,
    sha256        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (packet_id, path)
);
CREATE INDEX rollup_evidence_sha ON rollup_evidence(sha256);

CREATE TABLE rollup_cases (
    packet_id    INTEGER NOT NULL REFERENCES rollup_packets(id),
    row_no       INTEGER NOT NULL,
    month        TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    finalised_on TEXT,
    text         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (packet_id, row_no)
);

CREATE TABLE rollup_indicators (
    packet_id     INTEGER NOT NULL REFERENCES rollup_packets(id),
    row_no        INTEGER NOT NULL,
    indicator_key TEXT NOT NULL,
    category      TEXT NOT NULL DEFAULT '',
    level1        TEXT NOT NULL DEFAULT '',
    level2        TEXT NOT NULL DEFAULT '',
    score         REAL,
    max_score     REAL,
    self_score    REAL,
    status        TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    departments   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (packet_id, row_no)
);
CREATE INDEX rollup_indicators_key ON rollup_indicators(indicator_key);
