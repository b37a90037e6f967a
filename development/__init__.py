"""Individual development plans (IDP): each person's yearly goals and activities, agreed with their supervisor, filled in from completions."""
