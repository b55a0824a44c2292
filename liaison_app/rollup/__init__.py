"""The office's desk (材料汇总): take the units' signed packets in, see the bureau-wide picture, remind units of what
they owe, and sign one consolidated packet that carries the units' own packets."""
