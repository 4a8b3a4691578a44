"""Who the OS is: the first-boot interview, its chosen name, the user's profile, the persona prompt."""
