"""The yearly AKPK (analisis kebutuhan pengembangan kompetensi) as a workflow per perangkat daerah: draft, submitted, verified or returned, approved and frozen."""
