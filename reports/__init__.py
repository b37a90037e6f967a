"""Policy reports for leaders (JP targets, gap trends, spending against gaps closed, critical coverage) and the retirement forecast with succession candidates."""
