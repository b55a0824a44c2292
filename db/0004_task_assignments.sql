-- A task of another bureau's document that names this workspace's bureau (松江区生态环境局, 各区…) is the bureau's;
-- the liaison assigns it to one unit of the bureau. No row: not assigned yet (shown to the workspace's own unit).
CREATE TABLE task_assignments (
    task_id     INTEGER PRIMARY KEY REFERENCES tasks(id),
    department  TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    assigned_by TEXT
);
