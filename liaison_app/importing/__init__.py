"""Readers (xlsx, docx, csv/text) -> cell grids -> table recogniser -> rows stored in the workspace."""
