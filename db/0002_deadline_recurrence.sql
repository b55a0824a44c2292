-- Recurring deadlines (每月, 每季度, 每半年, 每年×月): the recurrence is kept next to the deadline's text, so the
-- due date of the period containing any day can be worked out (reminders, overdue counts). '' = not recurring.
-- Codes: monthly, monthly:DD (每月10日前), quarterly, half-yearly, yearly:MM (每年3月).
ALTER TABLE tasks ADD COLUMN deadline_recurrence TEXT NOT NULL DEFAULT '';

-- Rows imported before this version: the plain cases, read from the text they kept.
UPDATE tasks SET deadline_recurrence = 'monthly' WHERE deadline_text LIKE '%每月%' OR deadline_text LIKE '%每个月%'
    OR deadline_text LIKE '%按月%';
UPDATE tasks SET deadline_recurrence = 'quarterly' WHERE deadline_recurrence = ''
    AND (deadline_text LIKE '%每季%' OR deadline_text LIKE '%按季%' OR deadline_text LIKE '%每个季度%');
UPDATE tasks SET deadline_recurrence = 'half-yearly' WHERE deadline_recurrence = '' AND deadline_text LIKE '%每半年%';
UPDATE tasks SET deadline_recurrence = 'yearly:12' WHERE deadline_recurrence = ''
    AND (deadline_text = '每年' OR deadline_text LIKE '每年底%' OR deadline_text LIKE '每年年底%');
