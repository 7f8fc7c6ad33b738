"""The layout layer the pages draw with: fonts, text, boxes, icons, color scales."""
