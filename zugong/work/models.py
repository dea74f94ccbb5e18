"""工作落实: documents → tasks → progress → reviews (models come with the work-plan issue)."""
