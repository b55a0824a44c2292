<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
  <context>
    <name>CasesView</name>
    <message>
      <source>已定稿</source>
      <translation>Final</translation>
    </message>
    <message>
      <source>草稿</source>
      <translation>Draft</translation>
    </message>
    <message>
      <source>缺</source>
      <translation>Missing</translation>
    </message>
    <message>
      <source>本月待写</source>
      <translation>Due this month</translation>
    </message>
    <message>
      <source>未到</source>
      <translation>Not yet</translation>
    </message>
    <message>
      <source>该案例已定稿，修改后将退回草稿并保留原定稿版本</source>
      <translation>This report is final: a change returns it to draft and keeps the final version</translation>
    </message>
    <message>
      <source> 年</source>
      <translation> </translation>
    </message>
    <message>
      <source>新建案例</source>
      <translation>New report</translation>
    </message>
    <message>
      <source>为所选月份写一篇新的做法经验或典型案例</source>
      <translation>Write a new practice or case report for the selected month</translation>
    </message>
    <message>
      <source>年度</source>
      <translation>Year</translation>
    </message>
    <message>
      <source>本年度的案例</source>
      <translation>This year's reports</translation>
    </message>
    <message>
      <source>月份</source>
      <translation>Month</translation>
    </message>
    <message>
      <source>类型</source>
      <translation>Kind</translation>
    </message>
    <message>
      <source>标题</source>
      <translation>Title</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>这一年还没有案例。点上方的月份或“新建案例”开始写。</source>
      <translation>No reports this year yet. Click a month above or “New report” to start.</translation>
    </message>
    <message>
      <source>历史定稿版本（所选案例）</source>
      <translation>Earlier final versions (selected report)</translation>
    </message>
    <message>
      <source>一句话概括这个月的做法或案例</source>
      <translation>This month's practice or case in one sentence</translation>
    </message>
    <message>
      <source>分为 背景 / 做法 / 成效</source>
      <translation>In parts: background / practice / effect</translation>
    </message>
    <message>
      <source>自由撰写</source>
      <translation>Free text</translation>
    </message>
    <message>
      <source>正文</source>
      <translation>Text</translation>
    </message>
    <message>
      <source>为什么做：面临的问题、群众和企业的诉求</source>
      <translation>Why: the problem, what citizens and companies asked for</translation>
    </message>
    <message>
      <source>怎么做的：具体举措、创新点</source>
      <translation>How: the measures taken, what is new</translation>
    </message>
    <message>
      <source>效果如何：数据、评价、推广情况</source>
      <translation>Effect: figures, feedback, adoption elsewhere</translation>
    </message>
    <message>
      <source>案例全文</source>
      <translation>The whole report</translation>
    </message>
    <message>
      <source>背景</source>
      <translation>Background</translation>
    </message>
    <message>
      <source>做法</source>
      <translation>Practice</translation>
    </message>
    <message>
      <source>成效</source>
      <translation>Effect</translation>
    </message>
    <message>
      <source>保存草稿</source>
      <translation>Save draft</translation>
    </message>
    <message>
      <source>保存（Ctrl+S）</source>
      <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
      <source>定稿</source>
      <translation>Finalise</translation>
    </message>
    <message>
      <source>保存并标记为已定稿</source>
      <translation>Save and mark as final</translation>
    </message>
    <message>
      <source>定稿日期</source>
      <translation>Finalised on</translation>
    </message>
    <message>
      <source>导出 Word…</source>
      <translation>Export to Word…</translation>
    </message>
    <message>
      <source>把本篇案例导出为 Word 文档（标题、单位、月份、背景、做法、成效），可另行修改后报送</source>
      <translation>Export this report as a Word document (title, unit, month, background, practice, effect) to edit further before handing it in</translation>
    </message>
    <message>
      <source>关联任务</source>
      <translation>Linked tasks</translation>
    </message>
    <message>
      <source>搜索任务（序号或内容）</source>
      <translation>Search tasks (number or text)</translation>
    </message>
    <message>
      <source>附件（佐证材料）</source>
      <translation>Attachments (evidence)</translation>
    </message>
    <message>
      <source>可以把文件拖到这里添加；双击打开</source>
      <translation>Drag files here to add them; double-click to open</translation>
    </message>
    <message>
      <source>添加文件…</source>
      <translation>Add files…</translation>
    </message>
    <message>
      <source>打开</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>移除</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>拖入文件即可添加；新案例会先保存为草稿。</source>
      <translation>Drop files to add them; a new report is saved as a draft first.</translation>
    </message>
    <message>
      <source>科室：{0}</source>
      <translation>Unit: {0}</translation>
    </message>
    <message>
      <source>（未设置）</source>
      <translation>(not set)</translation>
    </message>
    <message>
      <source>{0} 月有 {1} 篇案例，已打开第一篇；其余的在左侧列表中。</source>
      <translation>Month {0} has {1} reports; the first is open, the others are in the list on the left.</translation>
    </message>
    <message>
      <source>{0} 月还没有案例。已打开一份新的草稿，填好标题和正文后点“保存草稿”。</source>
      <translation>Month {0} has no report yet. A new draft is open: fill in the title and text, then click “Save draft”.</translation>
    </message>
    <message>
      <source>没有改动，无需保存。</source>
      <translation>Nothing changed; nothing to save.</translation>
    </message>
    <message>
      <source>已保存。原定稿版本已保留为第 {0} 版，本案例已退回草稿，请修改完成后重新定稿。</source>
      <translation>Saved. The final version is kept as version {0}; the report is a draft again: finalise it when done.</translation>
    </message>
    <message>
      <source>已保存草稿：{0}</source>
      <translation>Draft saved: {0}</translation>
    </message>
    <message>
      <source>原定稿版本已保留为第 {0} 版。</source>
      <translation>The final version is kept as version {0}.</translation>
    </message>
    <message>
      <source>该案例已于 {0} 定稿，没有改动。</source>
      <translation>This report was finalised on {0}; nothing changed.</translation>
    </message>
    <message>
      <source>已定稿（{0}）：{1}</source>
      <translation>Finalised ({0}): {1}</translation>
    </message>
    <message>
      <source>导出 Word</source>
      <translation>Export to Word</translation>
    </message>
    <message>
      <source>Word 文档 (*.docx)</source>
      <translation>Word documents (*.docx)</translation>
    </message>
    <message>
      <source>已导出：{0}</source>
      <translation>Exported: {0}</translation>
    </message>
    <message>
      <source>已添加附件：{0}</source>
      <translation>Attached: {0}</translation>
    </message>
    <message>
      <source>正在添加附件</source>
      <translation>Adding attachments</translation>
    </message>
    <message>
      <source>没有找到能打开“{0}”的程序。文件副本在 {1}</source>
      <translation>No program was found to open “{0}”. The copy is at {1}</translation>
    </message>
    <message>
      <source>正在打开附件</source>
      <translation>Opening the attachment</translation>
    </message>
    <message>
      <source>移除附件</source>
      <translation>Remove attachment</translation>
    </message>
    <message>
      <source>从这篇案例中移除附件“{0}”吗？
文件仍保留在证据库中。</source>
      <translation>Remove the attachment “{0}” from this report?
The file stays in the vault.</translation>
    </message>
    <message>
      <source>已移除附件：{0}</source>
      <translation>Attachment removed: {0}</translation>
    </message>
    <message>
      <source>已定稿 {0} 个月 · 草稿 {1} 个月 · 缺 {2} 个月</source>
      <translation>{0} months final · {1} drafts · {2} missing</translation>
    </message>
    <message>
      <source>{0} 月</source>
      <translation>Month {0}</translation>
    </message>
    <message>
      <source>新案例（尚未保存）</source>
      <translation>New report (not saved yet)</translation>
    </message>
    <message>
      <source>✓ 已定稿 {0} · 第 {1} 版</source>
      <translation>✓ Final {0} · version {1}</translation>
    </message>
    <message>
      <source>✎ 草稿 · 第 {0} 版</source>
      <translation>✎ Draft · version {0}</translation>
    </message>
    <message>
      <source>保存修改（退回草稿）</source>
      <translation>Save changes (back to draft)</translation>
    </message>
    <message>
      <source>重新定稿</source>
      <translation>Finalise again</translation>
    </message>
    <message>
      <source>未保存的修改</source>
      <translation>Unsaved changes</translation>
    </message>
    <message>
      <source>当前案例有未保存的修改，放弃这些修改吗？</source>
      <translation>This report has unsaved changes. Discard them?</translation>
    </message>
    <message>
      <source>本科室还没有任务。导入任务分工表后可在这里关联。</source>
      <translation>This unit has no tasks yet. After importing a task table you can link them here.</translation>
    </message>
    <message>
      <source>已关联 {0} 项任务（共 {1} 项可选）</source>
      <translation>{0} tasks linked (of {1})</translation>
    </message>
    <message>
      <source>{0}
SHA-256：{1}</source>
      <translation>{0}
SHA-256: {1}</translation>
    </message>
    <message>
      <source>选择要添加的附件</source>
      <translation>Choose attachments</translation>
    </message>
    <message>
      <source>所有文件 (*)</source>
      <translation>All files (*)</translation>
    </message>
    <message>
      <source>{0} 月</source>
      <translation>Month {0}</translation>
    </message>
    <message>
      <source>{0} 年 {1} 月：{2}</source>
      <translation>{0}-{1}: {2}</translation>
    </message>
    <message>
      <source>月份：{0}　类型：{1}　定稿日期：{2}</source>
      <translation>Month: {0}　Kind: {1}　Finalised on: {2}</translation>
    </message>
    <message>
      <source>背景</source>
      <translation>Background</translation>
    </message>
    <message>
      <source>做法</source>
      <translation>Practice</translation>
    </message>
    <message>
      <source>成效</source>
      <translation>Effect</translation>
    </message>
    <message>
      <source>正文</source>
      <translation>Text</translation>
    </message>
    <message>
      <source>双击查看当时定稿的全文</source>
      <translation>Double-click to read the final text of that version</translation>
    </message>
    <message>
      <source>第 {0} 版 · 定稿于 {1} · {2} 修改后退回草稿</source>
      <translation>Version {0} · final on {1} · back to draft on {2}</translation>
    </message>
    <message>
      <source>暂无。修改已定稿的案例时，原定稿版本会保留在这里。</source>
      <translation>None. When a final report is changed, the final version is kept here.</translation>
    </message>
  </context>
  <context>
    <name>ChangesPage</name>
    <message>
      <source>将要导入的内容</source>
      <translation>What will be imported</translation>
    </message>
    <message>
      <source>表格 / 行</source>
      <translation>Table / row</translation>
    </message>
    <message>
      <source>变化</source>
      <translation>Change</translation>
    </message>
    <message>
      <source>改动的内容</source>
      <translation>What changed</translation>
    </message>
    <message>
      <source>这份文件已经导入过，内容没有变化，不需要再次导入。</source>
      <translation>This file was imported before and has not changed: there is nothing to import.</translation>
    </message>
    <message>
      <source>表格内容与已导入的完全相同，不需要再次导入。</source>
      <translation>The tables are exactly as imported before: there is nothing to import.</translation>
    </message>
    <message>
      <source>这是已导入表格的新版本。下面列出与上一版相比的变化。</source>
      <translation>This is a new version of a table imported before. Below are the changes against the earlier one.</translation>
    </message>
    <message>
      <source>匹配的任务保留原有的进度和佐证材料；新版中没有的行会归档，连同其进度和佐证材料一起保留，不会删除。</source>
      <translation>Matching tasks keep their progress and evidence; rows missing from the new version are archived with their progress and evidence, never deleted.</translation>
    </message>
    <message>
      <source>确认后点“导入”。</source>
      <translation>Click “Import” when it looks right.</translation>
    </message>
    <message>
      <source>这些表格是第一次导入。</source>
      <translation>These tables are imported for the first time.</translation>
    </message>
    <message>
      <source>新增 {0} 条　修改 {1} 条　移除 {2} 条　未变 {3} 条</source>
      <translation>{0} new　{1} changed　{2} removed　{3} unchanged</translation>
    </message>
    <message>
      <source>{0} {1} 条</source>
      <translation>{0}: {1}</translation>
    </message>
    <message>
      <source>未变 {0} 条</source>
      <translation>{0} unchanged</translation>
    </message>
    <message>
      <source>对照已导入的 {0}：{1}</source>
      <translation>Against {0} imported before: {1}</translation>
    </message>
    <message>
      <source>{0}——{1}</source>
      <translation>{0} — {1}</translation>
    </message>
    <message>
      <source>表格中第一次出现的单位（{0} 个）：{1}</source>
      <translation>Units named for the first time ({0}): {1}</translation>
    </message>
    <message>
      <source>识别时有 {0} 条提示，见上一步“核对识别结果”。</source>
      <translation>Reading the tables gave {0} notes: see the previous step, “Check what was recognised”.</translation>
    </message>
    <message>
      <source>正在导入…</source>
      <translation>Importing…</translation>
    </message>
  </context>
  <context>
    <name>DashboardView</name>
    <message>
      <source>星期一</source>
      <translation>Monday</translation>
    </message>
    <message>
      <source>星期二</source>
      <translation>Tuesday</translation>
    </message>
    <message>
      <source>星期三</source>
      <translation>Wednesday</translation>
    </message>
    <message>
      <source>星期四</source>
      <translation>Thursday</translation>
    </message>
    <message>
      <source>星期五</source>
      <translation>Friday</translation>
    </message>
    <message>
      <source>星期六</source>
      <translation>Saturday</translation>
    </message>
    <message>
      <source>星期日</source>
      <translation>Sunday</translation>
    </message>
    <message>
      <source>{0} 月</source>
      <translation>Month {0}</translation>
    </message>
    <message>
      <source>本单位任务</source>
      <translation>Tasks of the unit</translation>
    </message>
    <message>
      <source>已逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>两周内到期</source>
      <translation>Due within two weeks</translation>
    </message>
    <message>
      <source>在任务清单中查看这些任务</source>
      <translation>Show these tasks in the task list</translation>
    </message>
    <message>
      <source>今日提醒</source>
      <translation>Today's reminders</translation>
    </message>
    <message>
      <source>打开这个月的案例</source>
      <translation>Open this month's report</translation>
    </message>
    <message>
      <source>情况</source>
      <translation>State</translation>
    </message>
    <message>
      <source>时限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>序号</source>
      <translation>No.</translation>
    </message>
    <message>
      <source>任务内容</source>
      <translation>Task</translation>
    </message>
    <message>
      <source>全部单位</source>
      <translation>All units</translation>
    </message>
    <message>
      <source>今天是 {0}年{1}月{2}日 {3}　{4}</source>
      <translation>Today is {3}, {0}-{1}-{2}　{4}</translation>
    </message>
    <message>
      <source>已逾期（{0}）— 点击任务查看</source>
      <translation>Overdue ({0}) — click a task to open it</translation>
    </message>
    <message>
      <source>没有逾期的任务。</source>
      <translation>No overdue tasks.</translation>
    </message>
    <message>
      <source>{0} 天内到期</source>
      <translation>Due within {0} days</translation>
    </message>
    <message>
      <source>{0} 天内到期（{1}）</source>
      <translation>Due within {0} days ({1})</translation>
    </message>
    <message>
      <source>{0} 天内没有到期的任务。</source>
      <translation>Nothing is due within {0} days.</translation>
    </message>
    <message>
      <source>{0} 年度已经结束　{1}</source>
      <translation>The year {0} is over　{1}</translation>
    </message>
    <message>
      <source>年度结束时未完成</source>
      <translation>Open at year end</translation>
    </message>
    <message>
      <source>年度结束时仍未完成的任务（{0}）— 点击任务查看</source>
      <translation>Tasks still open at the end of the year ({0}) — click a task to open it</translation>
    </message>
    <message>
      <source>这一年度的任务都已完成或标为不涉及。</source>
      <translation>Every task of this year was done or marked not applicable.</translation>
    </message>
    <message>
      <source>……还有 {0} 项，点此在任务清单中查看全部</source>
      <translation>… {0} more: click to see them all in the task list</translation>
    </message>
    <message>
      <source>……还有 {0} 项</source>
      <translation>… {0} more</translation>
    </message>
    <message>
      <source>{0} 年每月做法经验、案例</source>
      <translation>Monthly practice and case reports, {0}</translation>
    </message>
    <message>
      <source>尚未撰写的月份：{0}。</source>
      <translation>Months without a report: {0}.</translation>
    </message>
    <message>
      <source>还是草稿、未定稿的月份：{0}。</source>
      <translation>Months whose report is still a draft: {0}.</translation>
    </message>
    <message>
      <source>{0} 年每个月的案例都已定稿。</source>
      <translation>Every month of {0} has a finalised report.</translation>
    </message>
    <message>
      <source>本年已到期的每月案例都已定稿。</source>
      <translation>Every report due this year is finalised.</translation>
    </message>
    <message>
      <source>✓ 已定稿</source>
      <translation>✓ Final</translation>
    </message>
    <message>
      <source>✎ 草稿</source>
      <translation>✎ Draft</translation>
    </message>
    <message>
      <source>未到</source>
      <translation>Not yet</translation>
    </message>
    <message>
      <source>本月待写</source>
      <translation>Due this month</translation>
    </message>
    <message>
      <source>✗ 未写</source>
      <translation>✗ Missing</translation>
    </message>
    <message>
      <source>{0}年{1}月</source>
      <translation>{0}-{1}</translation>
    </message>
  </context>
  <context>
    <name>EvidenceView</name>
    <message>
      <source>搜索文件名、说明或关联的任务…</source>
      <translation>Search file names, notes or linked tasks…</translation>
    </message>
    <message>
      <source>全部</source>
      <translation>All</translation>
    </message>
    <message>
      <source>已关联</source>
      <translation>Linked</translation>
    </message>
    <message>
      <source>未关联</source>
      <translation>Not linked</translation>
    </message>
    <message>
      <source>证据库中还没有文件。在“任务清单”中选中一项任务，把文件拖到“佐证材料”处即可存入。</source>
      <translation>The vault holds no files yet. Select a task under “Tasks” and drag files onto its “Evidence” box to store them.</translation>
    </message>
    <message>
      <source>打开</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>用系统程序打开核对过的只读副本（证据库中的文件不会被改动）</source>
      <translation>Open a checked read-only copy with the system program (the file in the vault is never changed)</translation>
    </message>
    <message>
      <source>查看关联任务</source>
      <translation>Show linked task</translation>
    </message>
    <message>
      <source>检查证据库</source>
      <translation>Check the vault</translation>
    </message>
    <message>
      <source>逐个核对文件的 SHA-256，找出缺失、损坏或多余的文件，并清理中断留下的临时文件</source>
      <translation>Check the SHA-256 of every file, find missing, damaged or stray files, and clear temporary files left by an interruption</translation>
    </message>
    <message>
      <source>清理未关联的文件…</source>
      <translation>Clean up unlinked files…</translation>
    </message>
    <message>
      <source>没有找到能打开“{0}”的程序。核对过的副本在 {1}</source>
      <translation>No program was found to open “{0}”. The checked copy is at {1}</translation>
    </message>
    <message>
      <source>正在打开“{0}”…</source>
      <translation>Opening “{0}”…</translation>
    </message>
    <message>
      <source>正在检查证据库</source>
      <translation>Checking the vault</translation>
    </message>
    <message>
      <source>✘ 发现 {0} 个问题（核对了 {1} 个文件，{2}）</source>
      <translation>✘ {0} problems found ({1} files checked, {2})</translation>
    </message>
    <message>
      <source>✔ 全部 {0} 个文件完好（{1}）</source>
      <translation>✔ All {0} files intact ({1})</translation>
    </message>
    <message>
      <source>✔ 证据库中没有文件，没有发现问题（{0}）</source>
      <translation>✔ The vault holds no files; no problems ({0})</translation>
    </message>
    <message>
      <source>……等，共 {0} 件</source>
      <translation>… {0} in all</translation>
    </message>
    <message>
      <source>清理未关联的文件</source>
      <translation>Clean up unlinked files</translation>
    </message>
    <message>
      <source>要从证据库中永久删除 {0} 件没有关联任何任务、考核指标或月度案例的证据吗？</source>
      <translation>Permanently delete from the vault {0} evidence files linked to no task, indicator or monthly report?</translation>
    </message>
    <message>
      <source>证据库中没有任何记录指向的文件也会一并删除。此操作无法撤销。</source>
      <translation>Files in the vault that no record points to are deleted too. This cannot be undone.</translation>
    </message>
    <message>
      <source>永久删除</source>
      <translation>Delete permanently</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>正在清理未关联的文件</source>
      <translation>Cleaning up unlinked files</translation>
    </message>
    <message>
      <source> 等</source>
      <translation> and more</translation>
    </message>
    <message>
      <source>已删除 {0} 件未关联的证据：{1}。</source>
      <translation>Deleted {0} unlinked evidence files: {1}.</translation>
    </message>
    <message>
      <source>证据库中共删除 {0} 个文件。</source>
      <translation>{0} files deleted from the vault in all.</translation>
    </message>
    <message>
      <source>已删除证据库中 {0} 个没有记录指向的文件。</source>
      <translation>Deleted {0} files of the vault that no record pointed to.</translation>
    </message>
    <message>
      <source>没有需要清理的文件。</source>
      <translation>Nothing to clean up.</translation>
    </message>
    <message>
      <source>{0} 件，共 {1}</source>
      <translation>{0} files, {1}</translation>
    </message>
    <message>
      <source>（全部 {0} 件）</source>
      <translation> (of {0})</translation>
    </message>
    <message>
      <source>工作区以只读方式打开，不能删除文件</source>
      <translation>The workspace is open read-only: files cannot be deleted</translation>
    </message>
    <message>
      <source>永久删除 {0} 件没有关联任何任务、指标或案例的证据</source>
      <translation>Permanently delete {0} evidence files linked to no task, indicator or report</translation>
    </message>
    <message>
      <source>所有证据都有关联，没有可清理的文件</source>
      <translation>Every evidence file is linked: nothing to clean up</translation>
    </message>
    <message>
      <source>图片</source>
      <translation>Image</translation>
    </message>
    <message>
      <source>视频</source>
      <translation>Video</translation>
    </message>
    <message>
      <source>其他</source>
      <translation>Other</translation>
    </message>
    <message>
      <source>任务 {0}</source>
      <translation>Task {0}</translation>
    </message>
    <message>
      <source>（已归档）</source>
      <translation> (archived)</translation>
    </message>
    <message>
      <source>指标 {0}</source>
      <translation>Indicator {0}</translation>
    </message>
    <message>
      <source>案例 {0}</source>
      <translation>Report {0}</translation>
    </message>
    <message>
      <source>{0}（编号 {1}）</source>
      <translation>{0} (no. {1})</translation>
    </message>
    <message>
      <source>任务</source>
      <translation>Task</translation>
    </message>
    <message>
      <source>指标</source>
      <translation>Indicator</translation>
    </message>
    <message>
      <source>案例</source>
      <translation>Report</translation>
    </message>
    <message>
      <source>未关联</source>
      <translation>Not linked</translation>
    </message>
    <message>
      <source>没有关联任何任务、考核指标或月度案例；可以用“清理未关联的文件”删除。</source>
      <translation>Linked to no task, indicator or monthly report; “Clean up unlinked files” deletes it.</translation>
    </message>
    <message>
      <source>文件内容的指纹（前 16 位）；证据库按它存放文件，内容一变它就不同</source>
      <translation>The fingerprint of the file's content (first 16 digits); the vault stores the file under it, and any change of content changes it</translation>
    </message>
    <message>
      <source>材料所反映工作的日期（默认为文件的修改日期）</source>
      <translation>The date of the work the file shows (by default its modification date)</translation>
    </message>
    <message>
      <source>说明：{0}</source>
      <translation>Note: {0}</translation>
    </message>
    <message>
      <source>双击打开（打开的是核对过的只读副本）</source>
      <translation>Double-click to open (a checked read-only copy)</translation>
    </message>
    <message>
      <source>{0} 字节</source>
      <translation>{0} bytes</translation>
    </message>
  </context>
  <context>
    <name>ImportWizard</name>
    <message>
      <source>导入表格</source>
      <translation>Import a table</translation>
    </message>
    <message>
      <source>上一步</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>下一步</source>
      <translation>Next</translation>
    </message>
    <message>
      <source>导入</source>
      <translation>Import</translation>
    </message>
    <message>
      <source>完成</source>
      <translation>Finish</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>正在重新识别表格…</source>
      <translation>Reading the table again…</translation>
    </message>
    <message>
      <source>程序出错了，没有做任何改动。这是程序的缺陷，不是您的操作问题；详细信息已另行显示。</source>
      <translation>Something went wrong and nothing was changed. This is a defect of the program, not something you did; the details are shown separately.</translation>
    </message>
    <message>
      <source>新增</source>
      <translation>New</translation>
    </message>
    <message>
      <source>修改</source>
      <translation>Changed</translation>
    </message>
    <message>
      <source>移除</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>（共享）</source>
      <translation> (shared)</translation>
    </message>
  </context>
  <context>
    <name>IndicatorsView</name>
    <message>
      <source>双击“状态”“自评分”“备注”修改，改完即保存。</source>
      <translation>Double-click “Status”, “Self-score” or “Note” to change it; it is saved at once.</translation>
    </message>
    <message>
      <source>本科室还没有考核指标。请先导入绩效考核指标细化分解表。</source>
      <translation>This unit has no indicators yet. Import the assessment table first.</translation>
    </message>
    <message>
      <source>{0} · 考核指标 {1} 项</source>
      <translation>{0} · {1} indicators</translation>
    </message>
    <message>
      <source>（未设置科室）</source>
      <translation>(no unit set)</translation>
    </message>
    <message>
      <source>选中一行，这里显示它的指标解释。</source>
      <translation>Select a row to see its explanation here.</translation>
    </message>
    <message>
      <source>自评合计 {0} 分 / 满分 {1} 分</source>
      <translation>Self-assessment {0} of {1} points</translation>
    </message>
    <message>
      <source>已自评 {0} / {1} 项</source>
      <translation>{0} of {1} assessed</translation>
    </message>
    <message>
      <source>；{0} 项不涉及，未计入满分</source>
      <translation>; {0} not applicable, left out of the maximum</translation>
    </message>
    <message>
      <source>（表格中没有指标解释）</source>
      <translation>(the table gives no explanation)</translation>
    </message>
    <message>
      <source>；本项自评最多 {0} 分</source>
      <translation>; at most {0} points for this one</translation>
    </message>
    <message>
      <source>【{0}】{1}
{2}
责任科室：{3}{4}</source>
      <translation>[{0}] {1}
{2}
Responsible units: {3}{4}</translation>
    </message>
    <message>
      <source>共享 {0} 分（每项 {1}）</source>
      <translation>{0} points shared ({1} each)</translation>
    </message>
    <message>
      <source>共享 {0} 分</source>
      <translation>{0} points shared</translation>
    </message>
    <message>
      <source>{0} 分</source>
      <translation>{0} points</translation>
    </message>
    <message>
      <source>双击填写；不能超过该指标的分值（合并分值按项平分）</source>
      <translation>Double-click to fill in; not more than the indicator's points (a merged score is shared equally)</translation>
    </message>
    <message>
      <source>双击修改，改完即保存</source>
      <translation>Double-click to change; saved at once</translation>
    </message>
    <message>
      <source>{0}（{1} 分）</source>
      <translation>{0} ({1} points)</translation>
    </message>
    <message>
      <source>{0} 项共享合并单元格的 {1} 分，本项自评最多 {2} 分</source>
      <translation>{0} indicators share the {1} points of a merged cell; at most {2} for this one</translation>
    </message>
    <message>
      <source>表格没有给出分值</source>
      <translation>The table gives no points</translation>
    </message>
    <message>
      <source>最多 {0} 分</source>
      <translation>at most {0} points</translation>
    </message>
    <message>
      <source>自评分 {0} 不是数字。</source>
      <translation>The self-score {0} is not a number.</translation>
    </message>
    <message>
      <source>未评分</source>
      <translation>Not scored</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>考核指标</source>
      <translation>Indicators</translation>
    </message>
    <message>
      <source>每月案例</source>
      <translation>Monthly reports</translation>
    </message>
    <message>
      <source>证据库</source>
      <translation>Evidence vault</translation>
    </message>
    <message>
      <source>材料包</source>
      <translation>Packets</translation>
    </message>
    <message>
      <source>材料汇总</source>
      <translation>Roll-up</translation>
    </message>
    <message>
      <source>设置</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>工作台</source>
      <translation>Dashboard</translation>
    </message>
    <message>
      <source>任务清单</source>
      <translation>Tasks</translation>
    </message>
    <message>
      <source>导入表格…</source>
      <translation>Import table…</translation>
    </message>
    <message>
      <source>导入任务分工表或考核指标表（Word、Excel、CSV 或粘贴的文字）</source>
      <translation>Import a task-allocation or indicator table (Word, Excel, CSV or pasted text)</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>撤销</source>
      <translation>Undo</translation>
    </message>
    <message>
      <source>重做</source>
      <translation>Redo</translation>
    </message>
    <message>
      <source>文件(&amp;F)</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <source>编辑(&amp;E)</source>
      <translation>&amp;Edit</translation>
    </message>
    <message>
      <source>视图(&amp;V)</source>
      <translation>&amp;View</translation>
    </message>
    <message>
      <source>单位与年度</source>
      <translation>Unit and year</translation>
    </message>
    <message>
      <source>单位：</source>
      <translation>Unit:</translation>
    </message>
    <message>
      <source>年度：</source>
      <translation>Year:</translation>
    </message>
    <message>
      <source>{0}（本单位）</source>
      <translation>{0} (own unit)</translation>
    </message>
    <message>
      <source>全部单位</source>
      <translation>All units</translation>
    </message>
    <message>
      <source>{0} 年</source>
      <translation>{0}</translation>
    </message>
    <message>
      <source>联络员工作台</source>
      <translation>Liaison Desk</translation>
    </message>
    <message>
      <source>［只读］</source>
      <translation> [read-only]</translation>
    </message>
    <message>
      <source>工作区：{0}</source>
      <translation>Workspace: {0}</translation>
    </message>
    <message>
      <source>（演示工作区：以 {0} 为今天）</source>
      <translation> (demo workspace: today is {0})</translation>
    </message>
    <message>
      <source>（只读：另一个窗口正在使用它）</source>
      <translation> (read-only: another window is using it)</translation>
    </message>
    <message>
      <source>{0}：任务 {1} 项 · 已完成 {2} · 逾期 {3}</source>
      <translation>{0}: {1} tasks · {2} done · {3} overdue</translation>
    </message>
    <message>
      <source>撤销“{0}”</source>
      <translation>Undo “{0}”</translation>
    </message>
    <message>
      <source>重做“{0}”</source>
      <translation>Redo “{0}”</translation>
    </message>
    <message>
      <source>当前单位的任务清单中没有这项任务。</source>
      <translation>This task is not in the selected unit's list.</translation>
    </message>
    <message>
      <source>已切换到 {0} 年度：刚导入的表格属于这一年度。可在上方“年度”中切换回其他年度。</source>
      <translation>Switched to {0}: the table just imported belongs to that year. Choose another year under “Year” above.</translation>
    </message>
    <message>
      <source>正在把文件存入证据库。现在退出会取消这次添加（已有的材料不受影响）。确定退出吗？</source>
      <translation>Files are being stored in the evidence vault. Quitting now cancels this addition (evidence already stored is not affected). Quit anyway?</translation>
    </message>
  </context>
  <context>
    <name>MessageBar</name>
    <message>
      <source>关闭这条消息</source>
      <translation>Close this message</translation>
    </message>
  </context>
  <context>
    <name>NewIdentityDialog</name>
    <message>
      <source>新建签名身份</source>
      <translation>New signing identity</translation>
    </message>
    <message>
      <source>联络员姓名</source>
      <translation>Liaison</translation>
    </message>
    <message>
      <source>科室</source>
      <translation>Unit</translation>
    </message>
    <message>
      <source>局名称</source>
      <translation>Bureau</translation>
    </message>
    <message>
      <source>密码（至少 6 位）</source>
      <translation>Password (6 characters or more)</translation>
    </message>
    <message>
      <source>再输入一次</source>
      <translation>Once more</translation>
    </message>
    <message>
      <source>保存为</source>
      <translation>Save as</translation>
    </message>
    <message>
      <source>密码不会保存在任何地方，请牢记；忘记密码只能新建身份，并把新证书重新交给办公室。</source>
      <translation>The password is stored nowhere: remember it. Without it the only way is a new identity, whose certificate must be handed to the office again.</translation>
    </message>
    <message>
      <source>两次输入的密码不一致。</source>
      <translation>The two passwords differ.</translation>
    </message>
  </context>
  <context>
    <name>PacketsView</name>
    <message>
      <source>生成并签名（{0}）</source>
      <translation>Make and sign ({0})</translation>
    </message>
    <message>
      <source>生成材料包</source>
      <translation>Make a packet</translation>
    </message>
    <message>
      <source>工作区中的文件年份：{0}</source>
      <translation>Years of the documents in the workspace: {0}</translation>
    </message>
    <message>
      <source>工作区中还没有导入文件</source>
      <translation>No documents imported into the workspace yet</translation>
    </message>
    <message>
      <source>全年</source>
      <translation>Whole year</translation>
    </message>
    <message>
      <source>季度</source>
      <translation>Quarter</translation>
    </message>
    <message>
      <source>月份</source>
      <translation>Month</translation>
    </message>
    <message>
      <source>年</source>
      <translation> </translation>
    </message>
    <message>
      <source>签名身份文件（.p12 / .pfx）</source>
      <translation>Signing identity file (.p12 / .pfx)</translation>
    </message>
    <message>
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <source>新建签名身份…</source>
      <translation>New signing identity…</translation>
    </message>
    <message>
      <source>导出证书…</source>
      <translation>Export certificate…</translation>
    </message>
    <message>
      <source>把公钥证书（PEM）交给办公室和核查人员，加入他们的信任列表</source>
      <translation>Give the public certificate (PEM) to the office and the inspectors for their trusted lists</translation>
    </message>
    <message>
      <source>签名身份的密码（不会被保存）</source>
      <translation>The signing identity's password (never stored)</translation>
    </message>
    <message>
      <source>生成并签名</source>
      <translation>Make and sign</translation>
    </message>
    <message>
      <source>打开所在文件夹</source>
      <translation>Open its folder</translation>
    </message>
    <message>
      <source>期间</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>签名身份</source>
      <translation>Signing identity</translation>
    </message>
    <message>
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>生成时间</source>
      <translation>Made at</translation>
    </message>
    <message>
      <source>材料包</source>
      <translation>Packets</translation>
    </message>
    <message>
      <source>大小</source>
      <translation>Size</translation>
    </message>
    <message>
      <source>所在文件夹</source>
      <translation>Folder</translation>
    </message>
    <message>
      <source>双击一行，在下方核验这个材料包</source>
      <translation>Double-click a row to verify that packet below</translation>
    </message>
    <message>
      <source>已生成</source>
      <translation>Packets made</translation>
    </message>
    <message>
      <source>{0}（已移走或删除）</source>
      <translation>{0} (moved or deleted)</translation>
    </message>
    <message>
      <source>第 </source>
      <translation>Q</translation>
    </message>
    <message>
      <source> 季度</source>
      <translation> </translation>
    </message>
    <message>
      <source> 月</source>
      <translation> </translation>
    </message>
    <message>
      <source>选择签名身份</source>
      <translation>Choose a signing identity</translation>
    </message>
    <message>
      <source>签名身份 (*.p12 *.pfx)</source>
      <translation>Signing identities (*.p12 *.pfx)</translation>
    </message>
    <message>
      <source>已创建签名身份，证书指纹：{0}</source>
      <translation>Signing identity created; certificate fingerprint: {0}</translation>
    </message>
    <message>
      <source>请先选择或新建签名身份。</source>
      <translation>Choose or create a signing identity first.</translation>
    </message>
    <message>
      <source>导出证书</source>
      <translation>Export certificate</translation>
    </message>
    <message>
      <source>证书 (*.pem)</source>
      <translation>Certificates (*.pem)</translation>
    </message>
    <message>
      <source>无法写入 {0}：{1}</source>
      <translation>Cannot write {0}: {1}</translation>
    </message>
    <message>
      <source>证书已导出到 {0}，指纹 {1}</source>
      <translation>Certificate exported to {0}, fingerprint {1}</translation>
    </message>
    <message>
      <source>有未定稿的月度案例</source>
      <translation>Monthly reports not finalised</translation>
    </message>
    <message>
      <source>{0}有 {1} 篇月度案例还是草稿，草稿不会放进签名的材料包（概况页会列为“草稿，未纳入”）：
{2}</source>
      <translation>{0}: {1} monthly reports are still drafts. Drafts are left out of the signed packet (its overview lists them as “draft, not included”):
{2}</translation>
    </message>
    <message>
      <source>定稿后，材料包就会包含这些案例。</source>
      <translation>Once they are final, the packet includes them.</translation>
    </message>
    <message>
      <source>全部定稿后生成</source>
      <translation>Finalise all, then make</translation>
    </message>
    <message>
      <source>不含草稿，直接生成</source>
      <translation>Make without the drafts</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>已取消。</source>
      <translation>Cancelled.</translation>
    </message>
    <message>
      <source>正在生成 {0} 的材料包…</source>
      <translation>Making the packet for {0}…</translation>
    </message>
    <message>
      <source>正在生成材料包</source>
      <translation>Making the packet</translation>
    </message>
    <message>
      <source>已生成：{0}（{1:.0f} KB）
任务 {2} 项（已完成 {3} 项），佐证材料 {4} 份，月度案例 {5} 篇；签名证书指纹 {6}</source>
      <translation>Made: {0} ({1:.0f} KB)
{2} tasks ({3} done), {4} evidence files, {5} monthly reports; signing certificate fingerprint {6}</translation>
    </message>
    <message>
      <source>
{0} 篇草稿未纳入。</source>
      <translation>
{0} drafts not included.</translation>
    </message>
    <message>
      <source>核验材料包</source>
      <translation>Verify a packet</translation>
    </message>
    <message>
      <source>收到的材料包（.zip）</source>
      <translation>A packet received (.zip)</translation>
    </message>
    <message>
      <source>添加信任的证书…</source>
      <translation>Add a trusted certificate…</translation>
    </message>
    <message>
      <source>移除</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>核验</source>
      <translation>Verify</translation>
    </message>
    <message>
      <source>文件</source>
      <translation>File</translation>
    </message>
    <message>
      <source>问题</source>
      <translation>Problem</translation>
    </message>
    <message>
      <source>信任的证书</source>
      <translation>Trusted certificates</translation>
    </message>
    <message>
      <source>选择材料包</source>
      <translation>Choose a packet</translation>
    </message>
    <message>
      <source>材料包 (*.zip)</source>
      <translation>Packets (*.zip)</translation>
    </message>
    <message>
      <source>选择信任的证书</source>
      <translation>Choose a trusted certificate</translation>
    </message>
    <message>
      <source>证书 (*.pem *.crt *.cer)</source>
      <translation>Certificates (*.pem *.crt *.cer)</translation>
    </message>
    <message>
      <source>请先选择要核验的材料包。</source>
      <translation>Choose the packet to verify first.</translation>
    </message>
    <message>
      <source>正在核验…</source>
      <translation>Verifying…</translation>
    </message>
    <message>
      <source>正在核验材料包</source>
      <translation>Verifying the packet</translation>
    </message>
    <message>
      <source>签名人 {0}（{1}），签名时间 {2}。</source>
      <translation>Signed by {0} ({1}) at {2}.</translation>
    </message>
    <message>
      <source>✔ 完好：所有文件与签名一致，签名人受信任。</source>
      <translation>✔ Intact: every file matches the signature, and the signer is trusted.</translation>
    </message>
    <message>
      <source>✔ 完好，但签名人不在信任列表中：无法确认是谁签的名。请添加对方提供的证书后再核验。</source>
      <translation>✔ Intact, but the signer is not in the trusted list: who signed cannot be confirmed. Add the sender's certificate and verify again.</translation>
    </message>
    <message>
      <source>✘ 发现 {0} 个问题：材料包在签名后被改动，或已损坏。</source>
      <translation>✘ {0} problems: the packet was changed after it was signed, or is damaged.</translation>
    </message>
  </context>
  <context>
    <name>PreviewPage</name>
    <message>
      <source>核对识别结果</source>
      <translation>Check what was recognised</translation>
    </message>
    <message>
      <source>检查每个表格识别出的列和内容。某一列识别错了，就在“导入为”中改正；不需要的表格取消勾选。</source>
      <translation>Check the columns and rows read from each table. Correct a wrongly read column under “Import as”; untick tables you do not need.</translation>
    </message>
    <message>
      <source>文件：{0}</source>
      <translation>File: {0}</translation>
    </message>
    <message>
      <source>文号：{0}</source>
      <translation>Document number: {0}</translation>
    </message>
    <message>
      <source>标题：{0}</source>
      <translation>Title: {0}</translation>
    </message>
    <message>
      <source>文件提示：</source>
      <translation>Notes on the file:</translation>
    </message>
    <message>
      <source>请注意：{0}</source>
      <translation>Please note: {0}</translation>
    </message>
    <message>
      <source>没有勾选要导入的表格：请至少勾选一个。</source>
      <translation>No table is ticked: tick at least one.</translation>
    </message>
  </context>
  <context>
    <name>ResultPage</name>
    <message>
      <source>导入完成</source>
      <translation>Import finished</translation>
    </message>
    <message>
      <source>表格已保存到工作区。关闭向导后，任务列表会显示新导入的内容。</source>
      <translation>The tables are saved in the workspace. Close the wizard to see them in the task list.</translation>
    </message>
    <message>
      <source>已导入 {0}：</source>
      <translation>Imported {0}:</translation>
    </message>
    <message>
      <source>新增 {0} 条</source>
      <translation>{0} new</translation>
    </message>
    <message>
      <source>修改 {0} 条</source>
      <translation>{0} changed</translation>
    </message>
    <message>
      <source>归档 {0} 条</source>
      <translation>{0} archived</translation>
    </message>
    <message>
      <source>· {0}：共 {1} 条（{2}）</source>
      <translation>· {0}: {1} rows ({2})</translation>
    </message>
    <message>
      <source>新出现的单位（{0} 个）：{1}</source>
      <translation>New units ({0}): {1}</translation>
    </message>
    <message>
      <source>时间节点按 {0} 年换算。</source>
      <translation>Deadlines are read as dates of {0}.</translation>
    </message>
  </context>
  <context>
    <name>RevisionDialog</name>
    <message>
      <source>第 {0} 版（历史定稿）</source>
      <translation>Version {0} (earlier final text)</translation>
    </message>
  </context>
  <context>
    <name>RollupView</name>
    <message>
      <source>收入材料包…</source>
      <translation>Add packets…</translation>
    </message>
    <message>
      <source>选择各科室报来的材料包（.zip）；也可以把文件或文件夹拖到这里</source>
      <translation>Choose the packets (.zip) sent in by the units; you can also drag files or folders here</translation>
    </message>
    <message>
      <source>收入文件夹…</source>
      <translation>Add a folder…</translation>
    </message>
    <message>
      <source>信任科室证书…</source>
      <translation>Trust unit certificates…</translation>
    </message>
    <message>
      <source>加入科室联络员交来的证书（signer.pem）；只收入信任的签名人签名的材料包</source>
      <translation>Add the certificates (signer.pem) handed in by the units' liaisons; only packets signed by a trusted signer are taken in</translation>
    </message>
    <message>
      <source>导出提醒表…</source>
      <translation>Export reminder sheet…</translation>
    </message>
    <message>
      <source>生成汇总材料包…</source>
      <translation>Make a consolidated packet…</translation>
    </message>
    <message>
      <source>期间：</source>
      <translation>Period:</translation>
    </message>
    <message>
      <source>任务</source>
      <translation>Task</translation>
    </message>
    <message>
      <source>科室</source>
      <translation>Unit</translation>
    </message>
    <message>
      <source>逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>月度案例</source>
      <translation>Monthly reports</translation>
    </message>
    <message>
      <source>考核指标</source>
      <translation>Indicators</translation>
    </message>
    <message>
      <source>提醒</source>
      <translation>Reminders</translation>
    </message>
    <message>
      <source>双击把材料包原样另存一份（例如交给核查人员）</source>
      <translation>Double-click to save an unchanged copy of the packet (for the inspectors, say)</translation>
    </message>
    <message>
      <source>收到的材料包</source>
      <translation>Packets received</translation>
    </message>
    <message>
      <source>搜索任务内容、序号、科室、备注…</source>
      <translation>Search tasks, numbers, units, notes…</translation>
    </message>
    <message>
      <source>全部角色</source>
      <translation>Any role</translation>
    </message>
    <message>
      <source>牵头</source>
      <translation>Lead</translation>
    </message>
    <message>
      <source>配合</source>
      <translation>Cooperating</translation>
    </message>
    <message>
      <source>全部状态</source>
      <translation>Any status</translation>
    </message>
    <message>
      <source>只看逾期</source>
      <translation>Overdue only</translation>
    </message>
    <message>
      <source>双击打开证据文件（核对 SHA-256 后的只读副本）</source>
      <translation>Double-click to open the evidence file (a read-only copy, its SHA-256 checked)</translation>
    </message>
    <message>
      <source>还没有收入任何科室的材料包。点“收入材料包…”选择文件，或把材料包（或其所在的文件夹）拖到这里；先用“信任科室证书…”加入各科室联络员交来的证书。</source>
      <translation>No unit has handed in a packet yet. Click “Add packets…” to choose files, or drag packets (or their folder) here; first add the certificates handed in by the units' liaisons with “Trust unit certificates…”.</translation>
    </message>
    <message>
      <source>{period}：应报送 {units} 个科室，已报送 {reported} 个；任务 {tasks} 项，逾期 {overdue} 项次；考核指标自评合计 {score} 分。</source>
      <translation>{period}: {reported} of {units} units have reported; {tasks} tasks, {overdue} overdue entries; indicator self-scores total {score} points.</translation>
    </message>
    <message>
      <source>未报送：{units}。</source>
      <translation> Not reported: {units}.</translation>
    </message>
    <message>
      <source>有 {n} 项考核指标各科室的分数合不上（见“考核指标”）。</source>
      <translation> For {n} indicators the units' scores do not add up (see “Indicators”).</translation>
    </message>
    <message>
      <source>全部科室</source>
      <translation>All units</translation>
    </message>
    <message>
      <source>显示 {shown} / {total} 项任务</source>
      <translation>{shown} of {total} tasks shown</translation>
    </message>
    <message>
      <source>已报送</source>
      <translation>Reported</translation>
    </message>
    <message>
      <source>未报送</source>
      <translation>Not reported</translation>
    </message>
    <message>
      <source>全局合计</source>
      <translation>Overall total</translation>
    </message>
    <message>
      <source>当前</source>
      <translation>Current</translation>
    </message>
    <message>
      <source>已被更新的材料包取代（留档）</source>
      <translation>Replaced by a newer packet (kept on file)</translation>
    </message>
    <message>
      <source>另存材料包</source>
      <translation>Save the packet as</translation>
    </message>
    <message>
      <source>材料包 (*.zip)</source>
      <translation>Packets (*.zip)</translation>
    </message>
    <message>
      <source>已另存：{path}</source>
      <translation>Saved as: {path}</translation>
    </message>
    <message>
      <source>，已逾期</source>
      <translation>, overdue</translation>
    </message>
    <message>
      <source>{name}（{size} 字节）— {units}</source>
      <translation>{name} ({size} bytes) — {units}</translation>
    </message>
    <message>
      <source>选择各科室的材料包</source>
      <translation>Choose the units' packets</translation>
    </message>
    <message>
      <source>选择存放材料包的文件夹</source>
      <translation>Choose the folder holding the packets</translation>
    </message>
    <message>
      <source>选择科室联络员的证书</source>
      <translation>Choose the certificates of the units' liaisons</translation>
    </message>
    <message>
      <source>证书 (*.pem *.crt *.cer *.der)</source>
      <translation>Certificates (*.pem *.crt *.cer *.der)</translation>
    </message>
    <message>
      <source>已加入 {n} 张信任的证书。</source>
      <translation>{n} trusted certificates added.</translation>
    </message>
    <message>
      <source>有材料包被拒收</source>
      <translation>Some packets were refused</translation>
    </message>
    <message>
      <source>正在核验并收入材料包…</source>
      <translation>Verifying and adding the packets…</translation>
    </message>
    <message>
      <source>导出提醒表</source>
      <translation>Export the reminder sheet</translation>
    </message>
    <message>
      <source>Excel 表格 (*.xlsx)</source>
      <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
      <source>提醒表已导出：{path}</source>
      <translation>Reminder sheet exported: {path}</translation>
    </message>
    <message>
      <source>汇总材料包已生成：{path}（内含 {n} 个科室材料包）</source>
      <translation>Consolidated packet made: {path} (holding {n} unit packets)</translation>
    </message>
    <message>
      <source>正在生成汇总材料包…</source>
      <translation>Making the consolidated packet…</translation>
    </message>
  </context>
  <context>
    <name>SettingsView</name>
    <message>
      <source>本工作区属于</source>
      <translation>This workspace belongs to</translation>
    </message>
    <message>
      <source>例如：张三</source>
      <translation>e.g. Zhang San</translation>
    </message>
    <message>
      <source>例如：上海市松江区生态环境局</source>
      <translation>e.g. 上海市松江区生态环境局</translation>
    </message>
    <message>
      <source>上级或其他单位印发的文件，只有点名本局（如“各区生态环境局”）的任务才算本局的；文件中的“办公室”等科室名指的是发文单位自己的科室。</source>
      <translation>A document issued by a higher-level or another bureau gives this bureau only the tasks that name it (such as “各区生态环境局”); unit names such as “办公室” in it mean the issuer's own units.</translation>
    </message>
    <message>
      <source>科室：</source>
      <translation>Unit:</translation>
    </message>
    <message>
      <source>联络员：</source>
      <translation>Liaison:</translation>
    </message>
    <message>
      <source>所在局：</source>
      <translation>Bureau:</translation>
    </message>
    <message>
      <source>科室不能为空。</source>
      <translation>The unit cannot be empty.</translation>
    </message>
    <message>
      <source>已保存。以后生成的材料包使用新的科室、联络员和局名称。</source>
      <translation>Saved. Packets made from now on carry the new unit, liaison and bureau.</translation>
    </message>
    <message>
      <source>提醒</source>
      <translation>Reminders</translation>
    </message>
    <message>
      <source> 天</source>
      <translation> days</translation>
    </message>
    <message>
      <source>每月 </source>
      <translation>day </translation>
    </message>
    <message>
      <source> 日</source>
      <translation> of each month</translation>
    </message>
    <message>
      <source>时限前多少天提醒“即将到期”：</source>
      <translation>Call a task “due soon” this many days before its deadline:</translation>
    </message>
    <message>
      <source>当月案例的报送日：</source>
      <translation>Monthly report due on:</translation>
    </message>
    <message>
      <source>信任的证书（核验收到的材料包时，签名人证书在此列表中才算“受信任”）</source>
      <translation>Trusted certificates (a received packet's signer is “trusted” only when listed here)</translation>
    </message>
    <message>
      <source>添加证书…</source>
      <translation>Add certificate…</translation>
    </message>
    <message>
      <source>移除</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>{0}
    SHA-256 指纹：{1}
    {2}</source>
      <translation>{0}
    SHA-256 fingerprint: {1}
    {2}</translation>
    </message>
    <message>
      <source>{0}（文件已不存在或无法读取）</source>
      <translation>{0} (the file is gone or cannot be read)</translation>
    </message>
    <message>
      <source>{0} 中没有证书。</source>
      <translation>{0} holds no certificate.</translation>
    </message>
    <message>
      <source>已添加。请与对方核对上面显示的 SHA-256 指纹。</source>
      <translation>Added. Compare the SHA-256 fingerprint above with the sender.</translation>
    </message>
    <message>
      <source>选择信任的证书</source>
      <translation>Choose a trusted certificate</translation>
    </message>
    <message>
      <source>证书 (*.pem *.crt *.cer)</source>
      <translation>Certificates (*.pem *.crt *.cer)</translation>
    </message>
    <message>
      <source>材料包 PDF 的字体</source>
      <translation>Font of the packets' PDF</translation>
    </message>
    <message>
      <source>自动（Windows：微软雅黑/宋体；Linux：文泉驿微米黑）</source>
      <translation>Automatic (Windows: Microsoft YaHei/SimSun; Linux: WenQuanYi Micro Hei)</translation>
    </message>
    <message>
      <source>选择字体文件…</source>
      <translation>Choose a font file…</translation>
    </message>
    <message>
      <source>恢复自动</source>
      <translation>Automatic</translation>
    </message>
    <message>
      <source>已保存：以后生成的 PDF 使用这个字体。</source>
      <translation>Saved: PDFs made from now on use this font.</translation>
    </message>
    <message>
      <source>已恢复自动选择字体。</source>
      <translation>The font is chosen automatically again.</translation>
    </message>
    <message>
      <source>选择中文字体</source>
      <translation>Choose a Chinese font</translation>
    </message>
    <message>
      <source>TrueType 字体 (*.ttf *.ttc *.otf)</source>
      <translation>TrueType fonts (*.ttf *.ttc *.otf)</translation>
    </message>
    <message>
      <source>界面语言</source>
      <translation>Language</translation>
    </message>
    <message>
      <source>工作区</source>
      <translation>Workspace</translation>
    </message>
    <message>
      <source>打开其他工作区…</source>
      <translation>Open another workspace…</translation>
    </message>
    <message>
      <source>备份到一个文件…</source>
      <translation>Back up to one file…</translation>
    </message>
    <message>
      <source>数据库、证据库和签名身份一起存成一个 zip 文件；建议存到U盘或另一块磁盘</source>
      <translation>The database, the evidence vault and the signing identity in one zip file; keep it on a USB stick or another disk</translation>
    </message>
    <message>
      <source>从备份恢复…</source>
      <translation>Restore from a backup…</translation>
    </message>
    <message>
      <source>逐一核对备份中每个文件的 SHA-256，核对无误才恢复到新的文件夹</source>
      <translation>Checks the SHA-256 of every file in the backup and restores into a new folder only when all match</translation>
    </message>
    <message>
      <source>选择工作区文件夹</source>
      <translation>Choose the workspace folder</translation>
    </message>
    <message>
      <source>备份到</source>
      <translation>Back up to</translation>
    </message>
    <message>
      <source>备份 (*.zip)</source>
      <translation>Backups (*.zip)</translation>
    </message>
    <message>
      <source>已备份 {0} 个文件（{1:.1f} MB）到 {2}</source>
      <translation>Backed up {0} files ({1:.1f} MB) to {2}</translation>
    </message>
    <message>
      <source>正在备份工作区…</source>
      <translation>Backing up the workspace…</translation>
    </message>
    <message>
      <source>选择备份文件</source>
      <translation>Choose the backup file</translation>
    </message>
    <message>
      <source>恢复到哪个文件夹（新的或空的文件夹）</source>
      <translation>Restore into which folder (a new or empty one)</translation>
    </message>
    <message>
      <source>不能恢复到正在使用的工作区；请选择一个新的或空的文件夹。</source>
      <translation>Cannot restore over the workspace in use; choose a new or empty folder.</translation>
    </message>
    <message>
      <source>已核对并恢复 {0} 个文件到 {1}。可用“打开其他工作区…”打开它。</source>
      <translation>Checked and restored {0} files into {1}. Open it with “Open another workspace…”.</translation>
    </message>
    <message>
      <source>正在核对并恢复备份…</source>
      <translation>Checking and restoring the backup…</translation>
    </message>
  </context>
  <context>
    <name>SourcePage</name>
    <message>
      <source>选择表格</source>
      <translation>Choose a table</translation>
    </message>
    <message>
      <source>导入局里印发的任务分工表、考核指标表或事项清单：选择文件，或者在 Word、WPS、Excel 中选中整个表格复制后粘贴到下面。</source>
      <translation>Import the bureau's task-allocation table, assessment table or service list: choose a file, or select the whole table in Word, WPS or Excel, copy it and paste it below.</translation>
    </message>
    <message>
      <source>从文件导入</source>
      <translation>From a file</translation>
    </message>
    <message>
      <source>粘贴表格内容</source>
      <translation>Paste the table</translation>
    </message>
    <message>
      <source>尚未选择文件</source>
      <translation>No file chosen</translation>
    </message>
    <message>
      <source>选择文件…</source>
      <translation>Choose file…</translation>
    </message>
    <message>
      <source>在这里粘贴（Ctrl+V）从 Word、WPS 或 Excel 复制的表格，包括表头一行（序号、任务内容、牵头部门……）。</source>
      <translation>Paste here (Ctrl+V) a table copied from Word, WPS or Excel, with its header row (序号, 任务内容, 牵头部门…).</translation>
    </message>
    <message>
      <source>从剪贴板粘贴</source>
      <translation>Paste from the clipboard</translation>
    </message>
    <message>
      <source>支持 .xlsx、.docx、.csv、.tsv、.txt 文件；旧版的 .xls、.doc 和 WPS 的 .et、.wps 文件需要电脑上装有 LibreOffice 才能读取，也可以先另存为 .xlsx 或 .docx。</source>
      <translation>Reads .xlsx, .docx, .csv, .tsv and .txt files; the older .xls and .doc and WPS .et and .wps files need LibreOffice on this computer, or save them as .xlsx or .docx first.</translation>
    </message>
    <message>
      <source>选择要导入的表格</source>
      <translation>Choose the table to import</translation>
    </message>
    <message>
      <source>表格文件 (*.xlsx *.docx *.csv *.tsv *.txt *.xls *.doc *.et *.wps);;所有文件 (*)</source>
      <translation>Tables (*.xlsx *.docx *.csv *.tsv *.txt *.xls *.doc *.et *.wps);;All files (*)</translation>
    </message>
    <message>
      <source>剪贴板里没有文字。请先在 Word、WPS 或 Excel 中选中表格并复制。</source>
      <translation>The clipboard holds no text. Select the table in Word, WPS or Excel and copy it first.</translation>
    </message>
    <message>
      <source>正在读取表格…</source>
      <translation>Reading the table…</translation>
    </message>
  </context>
  <context>
    <name>TablePanel</name>
    <message>
      <source>导入这个表格</source>
      <translation>Import this table</translation>
    </message>
    <message>
      <source>原表的列</source>
      <translation>Column in the table</translation>
    </message>
    <message>
      <source>示例内容</source>
      <translation>Example</translation>
    </message>
    <message>
      <source>导入为</source>
      <translation>Import as</translation>
    </message>
    <message>
      <source>第 {0} 列</source>
      <translation>Column {0}</translation>
    </message>
    <message>
      <source>改变这一列的含义，表格会按新的设置重新识别</source>
      <translation>Change what this column means; the table is read again</translation>
    </message>
    <message>
      <source>（不导入）</source>
      <translation>(not imported)</translation>
    </message>
    <message>
      <source>列的含义（识别有误时可以改）</source>
      <translation>What the columns mean (correct them if read wrongly)</translation>
    </message>
    <message>
      <source>{0}（{1} 行）</source>
      <translation>{0} ({1} rows)</translation>
    </message>
    <message>
      <source>{0}（不导入）</source>
      <translation>{0} (not imported)</translation>
    </message>
    <message>
      <source>识别为{0}，共 {1} 行</source>
      <translation>Read as {0}, {1} rows</translation>
    </message>
    <message>
      <source>{0}　来自：{1}</source>
      <translation>{0}　from: {1}</translation>
    </message>
    <message>
      <source>按现在的列设置，这个表格没有可导入的内容：请检查“任务内容”等列的含义。</source>
      <translation>With the columns as set, this table has nothing to import: check what “Task” and the other columns mean.</translation>
    </message>
    <message>
      <source>识别提示（{0} 条）</source>
      <translation>Notes ({0})</translation>
    </message>
    <message>
      <source>识别提示：没有</source>
      <translation>Notes: none</translation>
    </message>
    <message>
      <source>将导入的内容：无</source>
      <translation>To import: nothing</translation>
    </message>
    <message>
      <source>将导入的内容（显示前 {0} 行，共 {1} 行）</source>
      <translation>To import (first {0} of {1} rows)</translation>
    </message>
    <message>
      <source>将导入的内容（共 {0} 行）</source>
      <translation>To import ({0} rows)</translation>
    </message>
  </context>
  <context>
    <name>TaskDetailPane</name>
    <message>
      <source>在左侧选择一项任务，这里会显示它的全部内容、进度、佐证材料和历史记录。</source>
      <translation>Choose a task on the left to see all of it here: its text, progress, evidence and history.</translation>
    </message>
    <message>
      <source>牵头：</source>
      <translation>Lead:</translation>
    </message>
    <message>
      <source>配合：</source>
      <translation>Cooperating:</translation>
    </message>
    <message>
      <source>本单位：</source>
      <translation>This unit:</translation>
    </message>
    <message>
      <source>时限：</source>
      <translation>Deadline:</translation>
    </message>
    <message>
      <source>来源：</source>
      <translation>Source:</translation>
    </message>
    <message>
      <source>状态：</source>
      <translation>Status:</translation>
    </message>
    <message>
      <source>标为“已完成”时记录的日期；任务已完成时修改它会立即保存。</source>
      <translation>The date recorded when the task is marked done; changing it on a done task saves at once.</translation>
    </message>
    <message>
      <source>完成日期：</source>
      <translation>Completed on:</translation>
    </message>
    <message>
      <source>进展情况、下一步安排……（离开输入框时自动保存）</source>
      <translation>Progress, next steps… (saved when you leave the box)</translation>
    </message>
    <message>
      <source>保存备注</source>
      <translation>Save note</translation>
    </message>
    <message>
      <source>备注：</source>
      <translation>Note:</translation>
    </message>
    <message>
      <source>可以把文件从桌面或文件夹直接拖到这里添加。</source>
      <translation>Drag files here from the desktop or a folder to add them.</translation>
    </message>
    <message>
      <source>添加文件…</source>
      <translation>Add files…</translation>
    </message>
    <message>
      <source>打开</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>在文件夹中显示</source>
      <translation>Show in folder</translation>
    </message>
    <message>
      <source>移除</source>
      <translation>Remove</translation>
    </message>
    <message>
      <source>从本任务移除（文件仍保留在证据库中，可撤销）</source>
      <translation>Remove from this task (the file stays in the vault; can be undone)</translation>
    </message>
    <message>
      <source>历史记录</source>
      <translation>History</translation>
    </message>
    <message>
      <source>时间</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>操作人</source>
      <translation>By</translation>
    </message>
    <message>
      <source>内容</source>
      <translation>What</translation>
    </message>
    <message>
      <source>{0}. {1}</source>
      <translation>{0}. {1}</translation>
    </message>
    <message>
      <source>进度（{0}）</source>
      <translation>Progress ({0})</translation>
    </message>
    <message>
      <source>进度（请先在上方选择一个单位）</source>
      <translation>Progress (choose a unit above first)</translation>
    </message>
    <message>
      <source>（表中未写时限）</source>
      <translation>(no deadline in the table)</translation>
    </message>
    <message>
      <source>还没有记录</source>
      <translation>Nothing recorded yet</translation>
    </message>
    <message>
      <source>SHA-256：{0}</source>
      <translation>SHA-256: {0}</translation>
    </message>
    <message>
      <source>说明：{0}</source>
      <translation>Note: {0}</translation>
    </message>
    <message>
      <source>佐证材料（{0}）</source>
      <translation>Evidence ({0})</translation>
    </message>
    <message>
      <source>将任务 {0} 标为{1}</source>
      <translation>Mark task {0} as {1}</translation>
    </message>
    <message>
      <source>修改任务 {0} 的完成日期</source>
      <translation>Change the completion date of task {0}</translation>
    </message>
    <message>
      <source>修改任务 {0} 的备注</source>
      <translation>Change the note of task {0}</translation>
    </message>
    <message>
      <source>选择佐证材料</source>
      <translation>Choose evidence files</translation>
    </message>
    <message>
      <source>为任务 {0} 添加“{1}”</source>
      <translation>Add “{1}” to task {0}</translation>
    </message>
    <message>
      <source>为任务 {0} 添加 {1} 份佐证材料</source>
      <translation>Add {1} evidence files to task {0}</translation>
    </message>
    <message>
      <source>已添加 {0} 份佐证材料。</source>
      <translation>Added {0} evidence files.</translation>
    </message>
    <message>
      <source>这些文件已经在本任务的佐证材料中。</source>
      <translation>These files are already evidence of this task.</translation>
    </message>
    <message>
      <source>正在把文件存入证据库…</source>
      <translation>Storing the files in the evidence vault…</translation>
    </message>
    <message>
      <source>从任务 {0} 移除“{1}”</source>
      <translation>Remove “{1}” from task {0}</translation>
    </message>
    <message>
      <source>已移除“{0}”（文件仍在证据库中），按 Ctrl+Z 可撤销。</source>
      <translation>Removed “{0}” (the file is still in the vault). Ctrl+Z undoes it.</translation>
    </message>
    <message>
      <source>没有找到能打开“{0}”的程序。</source>
      <translation>No program was found to open “{0}”.</translation>
    </message>
    <message>
      <source>正在打开“{0}”…</source>
      <translation>Opening “{0}”…</translation>
    </message>
    <message>
      <source>正在准备“{0}”…</source>
      <translation>Preparing “{0}”…</translation>
    </message>
    <message>
      <source>已在文件夹中显示“{0}”的只读副本（证据库中的原件不变）。</source>
      <translation>Showing a read-only copy of “{0}” in its folder (the original in the vault is unchanged).</translation>
    </message>
    <message>
      <source>松开鼠标，把文件添加为本任务的佐证材料。</source>
      <translation>Release to add the files as evidence of this task.</translation>
    </message>
    <message>
      <source>状态：{0} → {1}</source>
      <translation>Status: {0} → {1}</translation>
    </message>
    <message>
      <source>完成日期 {0}</source>
      <translation>completed on {0}</translation>
    </message>
    <message>
      <source>备注：{0}</source>
      <translation>note: {0}</translation>
    </message>
    <message>
      <source>清空了备注</source>
      <translation>note cleared</translation>
    </message>
    <message>
      <source>更新了进度</source>
      <translation>progress updated</translation>
    </message>
    <message>
      <source>分派给{0}</source>
      <translation>assigned to {0}</translation>
    </message>
    <message>
      <source>收回了对{0}的分派</source>
      <translation>assignment to {0} taken back</translation>
    </message>
    <message>
      <source>添加佐证材料“{0}”</source>
      <translation>added evidence “{0}”</translation>
    </message>
    <message>
      <source>关联佐证材料“{0}”</source>
      <translation>linked evidence “{0}”</translation>
    </message>
    <message>
      <source>移除佐证材料“{0}”</source>
      <translation>removed evidence “{0}”</translation>
    </message>
  </context>
  <context>
    <name>TasksView</name>
    <message>
      <source>搜索任务内容、单位、时限、文号…（Ctrl+F）</source>
      <translation>Search tasks, units, deadlines, document numbers… (Ctrl+F)</translation>
    </message>
    <message>
      <source>全部角色</source>
      <translation>Any role</translation>
    </message>
    <message>
      <source>牵头</source>
      <translation>Lead</translation>
    </message>
    <message>
      <source>配合</source>
      <translation>Cooperating</translation>
    </message>
    <message>
      <source>全部状态</source>
      <translation>Any status</translation>
    </message>
    <message>
      <source>未完成</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>全部时限</source>
      <translation>Any deadline</translation>
    </message>
    <message>
      <source>已逾期</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>即将到期</source>
      <translation>Due soon</translation>
    </message>
    <message>
      <source>本月到期</source>
      <translation>Due this month</translation>
    </message>
    <message>
      <source>本季度到期</source>
      <translation>Due this quarter</translation>
    </message>
    <message>
      <source>点名的任务</source>
      <translation>Named tasks</translation>
    </message>
    <message>
      <source>含泛指的任务</source>
      <translation>With collective tasks</translation>
    </message>
    <message>
      <source>只看泛指</source>
      <translation>Collective only</translation>
    </message>
    <message>
      <source>待分派</source>
      <translation>To assign</translation>
    </message>
    <message>
      <source>计入统计的任务</source>
      <translation>Counted tasks</translation>
    </message>
    <message>
      <source>点名：表中写明本单位（或分派给本单位）的任务；泛指：表中只写了“各相关科室”等，本单位包括在内；待分派：上级文件点名本局、尚未分派给科室的任务</source>
      <translation>Named: the table names this unit (or the task was assigned to it); collective: the table only says “各相关科室” or the like; to assign: a higher-level document names this bureau and no unit has it yet</translation>
    </message>
    <message>
      <source>全部来源文件</source>
      <translation>Any source document</translation>
    </message>
    <message>
      <source>清除筛选</source>
      <translation>Clear filters</translation>
    </message>
    <message>
      <source>设为…</source>
      <translation>Set to…</translation>
    </message>
    <message>
      <source>写备注…</source>
      <translation>Write note…</translation>
    </message>
    <message>
      <source>分派给…</source>
      <translation>Assign to…</translation>
    </message>
    <message>
      <source>把上级文件点名本局的任务分派给本局的一个科室</source>
      <translation>Assign tasks that a higher-level document gives this bureau to one of its units</translation>
    </message>
    <message>
      <source>显示 {0} 项，共 {1} 项</source>
      <translation>{0} of {1} shown</translation>
    </message>
    <message>
      <source>共 {0} 项</source>
      <translation>{0} tasks</translation>
    </message>
    <message>
      <source>（另有 {0} 项泛指）</source>
      <translation> ({0} more through collectives)</translation>
    </message>
    <message>
      <source>没有符合筛选条件的任务。</source>
      <translation>No task matches the filters.</translation>
    </message>
    <message>
      <source>还没有任务。请用“文件 → 导入表格…”（Ctrl+I）导入任务分工表。</source>
      <translation>No tasks yet. Import a task-allocation table with “File → Import table…” (Ctrl+I).</translation>
    </message>
    <message>
      <source>任务清单中没有{0}牵头或配合的任务。</source>
      <translation>No task in the list is led by or involves {0}.</translation>
    </message>
    <message>
      <source>已选 {0} 项：</source>
      <translation>{0} selected:</translation>
    </message>
    <message>
      <source>将 {0} 项任务标为{1}</source>
      <translation>Mark {0} tasks as {1}</translation>
    </message>
    <message>
      <source>为 {0} 项任务写备注</source>
      <translation>Write a note on {0} tasks</translation>
    </message>
    <message>
      <source>写备注</source>
      <translation>Write note</translation>
    </message>
    <message>
      <source>为所选 {0} 项任务写同一条备注（替换它们原来的备注，可撤销）：</source>
      <translation>One note for the {0} selected tasks (replaces their notes; can be undone):</translation>
    </message>
    <message>
      <source>把 {0} 项任务分派给{1}</source>
      <translation>Assign {0} tasks to {1}</translation>
    </message>
    <message>
      <source>收回 {0} 项任务的分派</source>
      <translation>Take back the assignment of {0} tasks</translation>
    </message>
    <message>
      <source>分派给科室</source>
      <translation>Assign to a unit</translation>
    </message>
    <message>
      <source>把所选任务分派给本局的哪个科室？</source>
      <translation>Which unit of this bureau should take the selected tasks?</translation>
    </message>
  </context>
  <context>
    <name>WelcomeDialog</name>
    <message>
      <source>欢迎使用联络员工作台</source>
      <translation>Welcome to Liaison Desk</translation>
    </message>
    <message>
      <source>联络员工作台帮助各科室的联络员：导入局里印发的任务分工表和考核指标，找出本科室牵头或配合的任务，逐项销号并保存佐证材料，每月记录做法经验或案例，生成带电子签名、经得起核查的材料包。

所有数据都保存在本机的工作区文件夹中，不需要联网。</source>
      <translation>Liaison Desk helps each unit's liaison: import the bureau's task-allocation and assessment tables, find the tasks the unit leads or helps with, tick them off and keep the evidence, write a practice or case report every month, and hand in signed packets that stand up to inspection.

All data stays in a workspace folder on this computer; no network is needed.</translation>
    </message>
    <message>
      <source>浏览…</source>
      <translation>Browse…</translation>
    </message>
    <message>
      <source>载入示例表格（沪松环〔2023〕14号、沪绿容〔2023〕177号）</source>
      <translation>Load the sample tables (沪松环〔2023〕14号, 沪绿容〔2023〕177号)</translation>
    </message>
    <message>
      <source>示例表格只用来熟悉软件。想先试一试，建议另建一个练习用的工作区载入示例，不要和本局的工作区混在一起。</source>
      <translation>The samples are only for getting to know the program: to try it out, create a practice workspace for them rather than mixing them into your bureau's.</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>下一步</source>
      <translation>Next</translation>
    </message>
    <message>
      <source>工作区文件夹（保存导入的表格、进度、佐证材料和材料包）：</source>
      <translation>Workspace folder (holds the imported tables, progress, evidence and packets):</translation>
    </message>
    <message>
      <source>请选择一个文件夹。</source>
      <translation>Choose a folder.</translation>
    </message>
    <message>
      <source>这个文件夹里已有工作区，将打开它，原有内容保留。</source>
      <translation>This folder holds a workspace; it will be opened as it is.</translation>
    </message>
    <message>
      <source>将在这个文件夹新建工作区。</source>
      <translation>A new workspace will be created in this folder.</translation>
    </message>
    <message>
      <source>选择工作区文件夹</source>
      <translation>Choose the workspace folder</translation>
    </message>
    <message>
      <source>请选择工作区文件夹。</source>
      <translation>Choose the workspace folder.</translation>
    </message>
    <message>
      <source>示例 {0}/{1}：</source>
      <translation>Sample {0}/{1}: </translation>
    </message>
    <message>
      <source>正在准备工作区…</source>
      <translation>Preparing the workspace…</translation>
    </message>
    <message>
      <source>正在准备工作区并载入示例表格…</source>
      <translation>Preparing the workspace and loading the samples…</translation>
    </message>
    <message>
      <source>您在哪个科室？</source>
      <translation>Which unit do you work for?</translation>
    </message>
    <message>
      <source>工作台按科室筛出您牵头或配合的任务。科室名称请与任务分工表中“牵头部门”“配合部门”的写法一致；以后可以在设置中修改。</source>
      <translation>The program picks the tasks your unit leads or helps with by its name: write it as the task tables do under “牵头部门” and “配合部门”. You can change it later in Settings.</translation>
    </message>
    <message>
      <source>选择或输入科室名称，例如：法制科</source>
      <translation>Choose or type the unit, e.g. 法制科</translation>
    </message>
    <message>
      <source>例如：张三（用于进度记录和材料包的报送人）</source>
      <translation>e.g. Zhang San (recorded with progress and as the sender of packets)</translation>
    </message>
    <message>
      <source>例如：上海市松江区生态环境局</source>
      <translation>e.g. 上海市松江区生态环境局</translation>
    </message>
    <message>
      <source>本工作区属于哪个局。上级或其他单位印发的文件，只有点名本局（如“各区生态环境局”）的任务才算本局的。</source>
      <translation>The bureau this workspace belongs to. From a document issued by a higher-level or another bureau, only the tasks that name this bureau (such as “各区生态环境局”) are its own.</translation>
    </message>
    <message>
      <source>上一步</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>开始使用</source>
      <translation>Start</translation>
    </message>
    <message>
      <source>科室：</source>
      <translation>Unit:</translation>
    </message>
    <message>
      <source>联络员姓名：</source>
      <translation>Liaison:</translation>
    </message>
    <message>
      <source>所在局：</source>
      <translation>Bureau:</translation>
    </message>
    <message>
      <source>已导入的表格中还没有出现“{0}”；如果表格里的写法不同，请从列表中选择。</source>
      <translation>No imported table names “{0}” yet; if the tables write it differently, choose it from the list.</translation>
    </message>
    <message>
      <source>还没有导入表格，请直接输入科室名称。</source>
      <translation>No table has been imported yet: type the name of the unit.</translation>
    </message>
    <message>
      <source>请选择或填写您所在的科室。</source>
      <translation>Choose or type your unit.</translation>
    </message>
  </context>
  <context>
    <name>YearPage</name>
    <message>
      <source>文件年份</source>
      <translation>The document's year</translation>
    </message>
    <message>
      <source>表格中的“9 月底”“三季度”“年底前”等时间节点按这一年换算成日期，原文照样保留。</source>
      <translation>Deadlines such as “9 月底”, “三季度” or “年底前” are read as dates of this year; the text is kept as written.</translation>
    </message>
    <message>
      <source> 年</source>
      <translation> </translation>
    </message>
    <message>
      <source>年份：</source>
      <translation>Year:</translation>
    </message>
    <message>
      <source>{0} 年 {1} 月 {2} 日</source>
      <translation>{0}-{1}-{2}</translation>
    </message>
    <message>
      <source>已按文件落款日期 {0} 填写，如有不对可以修改。</source>
      <translation>Filled in from the document's date {0}; change it if it is wrong.</translation>
    </message>
    <message>
      <source>已按文件中的文号或标题填写，如有不对可以修改。</source>
      <translation>Filled in from the document's number or title; change it if it is wrong.</translation>
    </message>
    <message>
      <source>文件里没有找到日期，已填入今年，请核对。</source>
      <translation>No date was found in the document; this year is filled in: please check.</translation>
    </message>
    <message>
      <source>要导入的表格里没有时间节点，年份只记录在导入来源上。</source>
      <translation>The tables have no deadlines; the year is only recorded with the source.</translation>
    </message>
    <message>
      <source>换算示例：</source>
      <translation>For example:</translation>
    </message>
    <message>
      <source>“{0}” → {1}</source>
      <translation>“{0}” → {1}</translation>
    </message>
    <message>
      <source>“{0}” → 不设日期（原文保留）</source>
      <translation>“{0}” → no date (text kept)</translation>
    </message>
    <message>
      <source>正在与已导入的内容比对…</source>
      <translation>Comparing with what was imported before…</translation>
    </message>
  </context>
  <context>
    <name>_SignDialog</name>
    <message>
      <source>生成汇总材料包</source>
      <translation>Make a consolidated packet</translation>
    </message>
    <message>
      <source>选择…</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <source>办公室签名身份</source>
      <translation>Office signing identity</translation>
    </message>
    <message>
      <source>密码</source>
      <translation>Password</translation>
    </message>
    <message>
      <source>选择签名身份</source>
      <translation>Choose a signing identity</translation>
    </message>
    <message>
      <source>签名身份 (*.p12 *.pfx)</source>
      <translation>Signing identities (*.p12 *.pfx)</translation>
    </message>
  </context>
  <context>
    <name>jobs</name>
    <message>
      <source>程序出错了，这是程序的缺陷，不是您的操作问题。您的数据没有受到影响。</source>
      <translation>Something went wrong. This is a defect of the program, not something you did. Your data is not affected.</translation>
    </message>
    <message>
      <source>联络员工作台</source>
      <translation>Liaison Desk</translation>
    </message>
    <message>
      <source>已取消，没有做任何改动。</source>
      <translation>Cancelled; nothing was changed.</translation>
    </message>
    <message>
      <source>请把下面的详细信息发给维护人员。</source>
      <translation>Please send the details below to whoever maintains the program.</translation>
    </message>
    <message>
      <source>取消</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>请稍候</source>
      <translation>Please wait</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <source>联络员工作台</source>
      <translation>Liaison Desk</translation>
    </message>
    <message>
      <source>以只读方式打开可以查看任务和佐证材料，但不能做任何修改。</source>
      <translation>Opened read-only you can look at tasks and evidence but not change anything.</translation>
    </message>
    <message>
      <source>以只读方式打开</source>
      <translation>Open read-only</translation>
    </message>
    <message>
      <source>退出</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>{0} 不是联络员工作台的工作区（里面没有 {1}），仍在使用原来的工作区。</source>
      <translation>{0} is not a Liaison Desk workspace (it holds no {1}); the current workspace stays open.</translation>
    </message>
  </context>
  <context>
    <name>TasksModel</name>
    <message>
      <source>时限</source>
      <translation>Deadline</translation>
    </message>
    <message>
      <source>序号</source>
      <translation>No.</translation>
    </message>
    <message>
      <source>任务内容</source>
      <translation>Task</translation>
    </message>
    <message>
      <source>未开始</source>
      <translation>Not started</translation>
    </message>
    <message>
      <source>进行中</source>
      <translation>In progress</translation>
    </message>
    <message>
      <source>已完成</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>不涉及</source>
      <translation>Not applicable</translation>
    </message>
    <message>
      <source>牵头</source>
      <translation>Lead</translation>
    </message>
    <message>
      <source>配合</source>
      <translation>Cooperating</translation>
    </message>
    <message>
      <source>{0}（上级文件点名本局，尚未分派给科室）</source>
      <translation>{0} (a higher-level document names this bureau; not assigned to a unit yet)</translation>
    </message>
    <message>
      <source>{0}（上级文件点名本局，已分派给本单位）</source>
      <translation>{0} (a higher-level document names this bureau; assigned to this unit)</translation>
    </message>
    <message>
      <source>{0}（表中写作“{1}”）</source>
      <translation>{0} (the table says “{1}”)</translation>
    </message>
    <message>
      <source>点名</source>
      <translation>Named</translation>
    </message>
    <message>
      <source>泛指</source>
      <translation>Collective</translation>
    </message>
    <message>
      <source>待分派</source>
      <translation>To assign</translation>
    </message>
    <message>
      <source>分派</source>
      <translation>Assigned</translation>
    </message>
    <message>
      <source>逾期未完成</source>
      <translation>Overdue, not done</translation>
    </message>
    <message>
      <source>逾期 {0} 天</source>
      <translation>{0} days overdue</translation>
    </message>
    <message>
      <source>今天到期</source>
      <translation>Due today</translation>
    </message>
    <message>
      <source>还剩 {0} 个工作日</source>
      <translation>{0} working days left</translation>
    </message>
    <message>
      <source>约还剩 {0} 个工作日</source>
      <translation>about {0} working days left</translation>
    </message>
    <message>
      <source>{0} 年的放假调休安排尚未收入日历，工作日按周一至周五估算。</source>
      <translation>The holiday schedule for {0} is not in the calendar yet: working days are estimated as Monday to Friday.</translation>
    </message>
    <message>
      <source>来源</source>
      <translation>Source</translation>
    </message>
    <message>
      <source>任务名称</source>
      <translation>Heading</translation>
    </message>
    <message>
      <source>关系</source>
      <translation>Relation</translation>
    </message>
    <message>
      <source>状态</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>证据数</source>
      <translation>Evidence</translation>
    </message>
    <message>
      <source>表中点名本单位</source>
      <translation>The table names this unit</translation>
    </message>
    <message>
      <source>表中只写了“{0}”等泛指，本单位包括在内</source>
      <translation>The table only says “{0}”, which includes this unit</translation>
    </message>
    <message>
      <source>上级或其他单位的文件点名本局，尚未分派给具体科室：请分派或标为不涉及</source>
      <translation>Another bureau's document names this bureau and nobody has assigned it to a unit: assign it or mark it not applicable</translation>
    </message>
    <message>
      <source>上级或其他单位的文件点名本局，已分派给本单位</source>
      <translation>Another bureau's document names this bureau; assigned to this unit</translation>
    </message>
    <message>
      <source>原文：{0}</source>
      <translation>As written: {0}</translation>
    </message>
    <message>
      <source>日期：{0}</source>
      <translation>Date: {0}</translation>
    </message>
    <message>
      <source>无具体日期</source>
      <translation>no specific date</translation>
    </message>
    <message>
      <source>日历上还有 {0} 天</source>
      <translation>{0} calendar days</translation>
    </message>
    <message>
      <source>已附 {0} 份佐证材料</source>
      <translation>{0} evidence files attached</translation>
    </message>
  </context>
</TS>