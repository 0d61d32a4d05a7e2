package io.entrabackup.simulator.directory;

import java.util.List;

/** Word lists the generator draws realistic names and attributes from. */
final class Words {
  private Words() {}

  static final List<String> GIVEN = List.of("Adele", "Alex", "Allan", "Bianca", "Brian", "Carla", "Christie", "Debra",
      "Diego", "Emily", "Enrico", "Grady", "Henrietta", "Isaiah", "Johanna", "Joni", "Lee", "Lidia", "Lynne", "Megan",
      "Miriam", "Nestor", "Patti", "Pradeep", "Priya", "Raul", "Sakura", "Tomasz", "Yusuf", "Zhang", "Mallory", "Omar",
      "Fatima", "Lars", "Ingrid", "Kenji", "Aisha", "Mateo", "Sofia", "Noah", "Olivia", "Liam", "Amara", "Chen", "Ravi",
      "Elena", "Marek", "Nadia", "Oskar", "Quinn");
  static final List<String> SURNAME = List.of("Vance", "Wilber", "Deyoung", "Pinto", "Johnson", "Cline", "Berg",
      "Sicilian", "Braun", "Zelenko", "Gates", "Gonzalez", "Lambert", "Holt", "Patel", "Wilkins", "Diaz", "Cortez",
      "Nakamura", "Kowalski", "Demir", "Wang", "Okafor", "Silva", "Nielsen", "Haddad", "Rossi", "Moreau", "Schmidt",
      "Novak", "Ivanova", "Tanaka", "Khan", "Murphy", "Garcia", "Larsen", "Fischer", "Kim", "Nguyen", "Dubois");
  static final List<String> DEPARTMENT = List.of("Sales", "Marketing", "Finance", "Engineering", "Operations", "Legal",
      "Human Resources", "IT", "Retail", "Research", "Support", "Executive Management");
  static final List<String> JOB_TITLE = List.of("Retail Manager", "Marketing Manager", "Developer", "Senior Engineer",
      "Accountant", "Sales Representative", "Support Engineer", "Product Manager", "Paralegal", "HR Manager",
      "IT Administrator", "Data Analyst", "Director", "Designer", "Operations Lead", "Project Manager");
  static final List<String> CITY = List.of("Redmond|WA|US|98052|1 Microsoft Way", "Seattle|WA|US|98101|400 Pine St",
      "London||GB|EC2A 4NE|1 Finsbury Ave", "Berlin||DE|10117|Unter den Linden 21", "Paris||FR|75008|8 Rue de Londres",
      "Madrid||ES|28020|Paseo de la Castellana 79", "Tokyo||JP|108-0075|2-16-3 Konan", "Sydney|NSW|AU|2000|1 Denison St",
      "Toronto|ON|CA|M5J 2N8|81 Bay St", "Bangalore|KA|IN|560001|8 MG Road");
  static final List<String> LANGUAGE = List.of("en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP", "en-AU", "en-CA",
      "en-IN", "nl-NL");
  static final List<String> GUEST_DOMAIN = List.of("fabrikam.com", "northwindtraders.com", "adatum.com",
      "tailspintoys.com", "woodgrovebank.com", "litwareinc.com");
  static final List<String> GROUP_TOPIC = List.of("Sales", "Marketing", "Finance", "Engineering", "Operations",
      "Legal", "HR", "IT", "Retail", "Research", "Support", "Leadership", "Project Phoenix", "Project Atlas", "Mark 8",
      "Contoso Life", "U.S. Sales", "EMEA", "APAC", "Design");
  static final List<String> EMPLOYEE_TYPE = List.of("Employee", "Contractor", "Consultant", "Vendor");
}
