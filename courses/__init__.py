"""IT-competency courses authored in Wagtail and taken online.

What belongs here: the course catalogue and course pages, lessons and quizzes, enrollments,
lesson progress and quiz attempts, completion (which records competency evidence and learning
hours) and the learning-hours (JP) ledger, and course recommendations for competency gaps. It
builds on ``competencies`` and announces completions with a domain signal after commit.
"""
