# Labels of the controlled vocabularies (codes in src/domain/vocab). Countries keep their
# English names in every language and have no messages here.
theme-migration = Migration
theme-trafficking = Human trafficking
theme-sgbv = Sexual and gender-based violence
theme-detention = Immigration detention
theme-statelessness = Statelessness
theme-child-protection = Child protection
theme-health = Health
theme-psychosocial-support = Mental health and psychosocial support
theme-legal-aid = Legal aid
theme-shelter = Shelter
theme-livelihoods = Livelihoods
theme-education = Education
theme-restoring-family-links = Restoring family links
theme-disaster-displacement = Disaster displacement
theme-civil-documentation = Civil documentation
theme-cash-assistance = Cash assistance
theme-food-security = Food security
theme-information = Information and counselling

population-refugees = Refugees
population-asylum-seekers = Asylum seekers
population-migrant-workers = Migrant workers
population-trafficked-persons = Trafficked persons
population-stateless-people = Stateless people
population-idps = Internally displaced people
population-returnees = Returnees
population-undocumented-migrants = Undocumented migrants
population-detained-migrants = Migrants in detention
population-unaccompanied-children = Unaccompanied and separated children
population-women-and-girls = Women and girls
population-people-with-disabilities = People with disabilities
population-lgbtiq = LGBTIQ+ people
population-older-people = Older people
