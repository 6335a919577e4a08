package org.trailbook.workload;

/** The word lists names, places and resources are made of. All companies and domains are invented. */
final class Words {
  private Words() {}

  static final String[] FIRST_NAMES = {
    "Ada", "Aiden", "Aisha", "Alba", "Alejandro", "Alex", "Alice", "Amara", "Amelie", "Ana", "Anders", "Andrea",
    "Anika", "Anton", "Arjun", "Astrid", "Ava", "Ayumi", "Beatriz", "Ben", "Bianca", "Bjorn", "Camille", "Carlos",
    "Carmen", "Chen", "Chiara", "Chloe", "Chris", "Clara", "Daniel", "Daria", "David", "Diego", "Dmitri", "Elena",
    "Elif", "Eliza", "Emeka", "Emil", "Emma", "Erik", "Esther", "Ethan", "Eva", "Fatima", "Felix", "Finn", "Freya",
    "Gabriel", "Grace", "Hana", "Hannah", "Hassan", "Hugo", "Ibrahim", "Ida", "Ines", "Ingrid", "Isaac", "Isabel",
    "Ivan", "Jack", "Jade", "Jakob", "James", "Jana", "Javier", "Jin", "Johan", "Jonas", "Jorge", "Julia", "Julian",
    "Kai", "Karin", "Kenji", "Kiara", "Kofi", "Lara", "Laura", "Lea", "Leila", "Leon", "Liam", "Lina", "Lucas",
    "Lucia", "Luis", "Maja", "Malik", "Marco", "Maria", "Marta", "Mateo", "Maya", "Mei", "Mia", "Mika", "Milan",
    "Mina", "Mohammed", "Nadia", "Naomi", "Nathan", "Nia", "Niko", "Nina", "Noah", "Nora", "Olga", "Oliver",
    "Olivia", "Omar", "Oscar", "Paula", "Pedro", "Priya", "Rafael", "Rahul", "Rania", "Ravi", "Rosa", "Ruth",
    "Sakura", "Samir", "Sara", "Sebastian", "Sofia", "Sven", "Tariq", "Tess", "Theo", "Tomas", "Uma", "Valentina",
    "Vera", "Victor", "Wei", "Yara", "Yusuf", "Zara", "Zoe", "Zeynep"
  };

  static final String[] LAST_NAMES = {
    "Abara", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Bianchi", "Brandt", "Brooks", "Castillo",
    "Chen", "Costa", "Dahl", "Delgado", "Dubois", "Eriksen", "Esposito", "Fernandes", "Fischer", "Fontaine",
    "Garcia", "Gomez", "Gupta", "Haddad", "Hansen", "Hartmann", "Hoffmann", "Holm", "Ibrahim", "Ito", "Jansen",
    "Jensen", "Kaur", "Keller", "Khan", "Kim", "Klein", "Koch", "Kowalski", "Kruger", "Larsen", "Laurent",
    "Lehmann", "Lindqvist", "Lopez", "Marino", "Martin", "Mehta", "Meyer", "Moreau", "Morales", "Muller",
    "Nakamura", "Nguyen", "Nielsen", "Novak", "Nowak", "Okafor", "Olsen", "Ortiz", "Park", "Patel", "Perez",
    "Petrov", "Popescu", "Quinn", "Ramos", "Reyes", "Ricci", "Richter", "Rossi", "Roy", "Sato", "Schmidt",
    "Schneider", "Schulz", "Silva", "Singh", "Sousa", "Suzuki", "Svensson", "Tanaka", "Torres", "Tran",
    "Vargas", "Vogel", "Wagner", "Walsh", "Weber", "Wolf", "Yamamoto", "Yilmaz", "Young", "Zhang", "Zimmermann"
  };

  /** Invented customer companies; their domains use the reserved .example top-level domain. */
  static final String[] COMPANY_DOMAINS = {
    "brightloom.example", "quillhaven.example", "mossgrove.example", "tidewell.example", "copperfinch.example",
    "lanternbay.example", "orchidline.example", "pinecrest-labs.example"
  };

  static final String[] LOCATIONS = {
    "Berlin, DE", "Hamburg, DE", "Munich, DE", "Vienna, AT", "Zurich, CH", "Paris, FR", "Lyon, FR", "Madrid, ES",
    "Barcelona, ES", "Lisbon, PT", "Milan, IT", "Rome, IT", "Amsterdam, NL", "Brussels, BE", "London, GB",
    "Manchester, GB", "Dublin, IE", "Copenhagen, DK", "Stockholm, SE", "Oslo, NO", "Helsinki, FI", "Warsaw, PL",
    "Prague, CZ", "Bucharest, RO", "Istanbul, TR", "New York, US", "Austin, US", "Seattle, US", "Chicago, US",
    "San Francisco, US", "Toronto, CA", "Mexico City, MX", "Sao Paulo, BR", "Buenos Aires, AR", "Lagos, NG",
    "Nairobi, KE", "Cape Town, ZA", "Dubai, AE", "Bangalore, IN", "Singapore, SG", "Tokyo, JP", "Seoul, KR",
    "Sydney, AU", "Auckland, NZ"
  };

  static final String[] BROWSER_AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
  };

  /** The customer's own mobile apps. */
  static final String[] APP_AGENTS = {
    "Trailbook-iOS/4.12.0 (iPhone; iOS 18.1)", "Trailbook-iOS/4.11.3 (iPad; iOS 17.6)",
    "Trailbook-Android/4.11.2 (Android 14)", "Trailbook-Android/4.12.0 (Android 15)"
  };

  static final String[] SDK_AGENTS = {
    "trailbook-node/3.4.1", "trailbook-python/2.9.0", "trailbook-go/1.7.3", "trailbook-ruby/1.2.0",
    "curl/8.5.0", "Go-http-client/2.0", "python-requests/2.32.3", "okhttp/4.12.0"
  };

  static final String[] CAMPAIGN_THEMES = {
    "Summer", "Winter", "Spring", "Autumn", "Black Friday", "Holiday", "Q3", "Q4", "Welcome", "Re-engagement",
    "Product Launch", "Loyalty", "Flash", "Back to School", "Year in Review", "Referral"
  };
  static final String[] CAMPAIGN_KINDS = {
    "Sale", "Newsletter", "Drip", "Webinar", "Promo", "Announcement", "Survey", "Digest", "Onboarding", "Reminder"
  };
  static final String[] TICKET_SUBJECTS = {
    "Cannot export invoices", "Login link expired", "Wrong currency on invoice", "Import stuck at 80%",
    "Webhook not firing", "Need to change billing email", "Duplicate contacts after import", "2FA codes rejected",
    "Report shows no data", "Campaign sent twice", "API returns 429 too often", "Cannot remove team member",
    "Template images broken", "Segment count looks off", "Refund request", "Feature request: dark mode"
  };
  static final String[] SEGMENT_NAMES = {
    "Active in last 30 days", "VIP customers", "Churn risk", "Trial users", "Newsletter subscribers",
    "Never purchased", "High value", "Inactive 90 days", "Enterprise accounts", "Webinar attendees"
  };
  static final String[] TEMPLATE_NAMES = {
    "Welcome email", "Password reset", "Order confirmation", "Monthly digest", "Invoice reminder",
    "Event invitation", "Feedback request", "Renewal notice"
  };
  static final String[] INTEGRATION_NAMES = {
    "CRM connector", "Warehouse export", "Calendar sync", "Chat notifier", "Payments bridge", "Helpdesk bridge",
    "Data lake sink", "Spreadsheet sync", "SSO directory", "Analytics feed"
  };
  static final String[] REPORT_NAMES = {
    "Monthly revenue", "Churn by cohort", "Campaign performance", "Ticket backlog", "Open rates by segment",
    "Active users", "Invoice aging", "Support response times"
  };
  static final String[] WEBHOOK_NAMES = {
    "Order events", "Contact sync", "Billing notifications", "Ticket updates", "Campaign stats", "Audit mirror"
  };
  static final String[] KEY_NAMES = {
    "Production key", "Staging key", "CI deploy key", "Reporting key", "Mobile backend", "Data sync key",
    "Automation key", "Partner import key"
  };
  static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "NL", "ES", "IT", "SE", "BR", "JP", "IN", "CA"};
  static final String[] PLANS = {"free", "starter", "growth", "business", "enterprise"};
  static final String[] ROLES = {"viewer", "member", "editor", "admin", "owner"};
}
