"""Models arrive with the review and publicity stages."""
