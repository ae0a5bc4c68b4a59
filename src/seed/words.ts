/** Word lists for realistic seed data. Plain ASCII keeps emails and domains valid as they are. */

export const FIRST_NAMES =
  `James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty Mark Sandra
Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa
George Deborah Timothy Stephanie Ronald Rebecca Jason Laura Edward Sharon Jeffrey Cynthia Ryan Kathleen Jacob
Amy Gary Angela Nicholas Anna Eric Brenda Jonathan Pamela Stephen Emma Larry Nicole Justin Helen Scott Samantha
Brandon Katherine Benjamin Christine Samuel Debra Gregory Rachel Alexander Carolyn Patrick Janet Frank Maria
Raymond Olivia Jack Heather Dennis Diane Jerry Julie Tyler Joyce Aaron Victoria Jose Ruth Adam Virginia Nathan
Lauren Henry Kelly Zachary Christina Douglas Joan Peter Evelyn Kyle Judith Noah Andrea Ethan Hannah Jeremy Megan
Walter Cheryl Christian Jacqueline Keith Martha Roger Madison Terry Teresa Austin Gloria Sean Sara Gerald Janice
Carl Ann Harold Kathryn Dylan Abigail Arthur Sophia Lawrence Frances Jordan Jean Jesse Alice Bryan Judy Billy
Isabella Bruce Julia Gabriel Grace Joe Amber Logan Denise Alan Danielle Juan Marilyn Albert Beverly Willie
Charlotte Elijah Natalie Wayne Theresa Randy Diana Vincent Brittany Mason Doris Roy Kayla Ralph Alexis Bobby
Lori Russell Marie Bradley Aiko Hiroshi Yuki Kenji Mei Wei Li Jun Priya Arjun Ananya Rohan Fatima Omar Aisha
Hassan Lucas Sofia Mateo Valentina Diego Camila Lukas Lena Felix Mia Jonas Elin Lars Ingrid Sven Astrid Pierre
Camille Louis Chloe Hugo Manon Giulia Marco Chiara Luca Ana Pedro Ines Joao Olga Ivan Anya Dmitri Kwame Ama
Chidi Ngozi Tariq Leila Yusuf Zeynep Emre Selin`
    .split(/\s+/)
    .filter(Boolean);

export const LAST_NAMES = `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez
Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker
Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes
Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos
Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo
Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson
Barnes Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace West
Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison
Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford
Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner
Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols
Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Tanaka Suzuki Sato Watanabe Yamamoto Wang Zhang Liu Yang
Huang Zhao Sharma Gupta Singh Kumar Mehta Khan Ali Ahmed Hassan Mueller Schneider Fischer Weber Becker Hoffmann
Schulz Dubois Durand Lefebvre Moreau Laurent Rossi Russo Ferrari Esposito Bianchi Santos Oliveira Pereira Costa
Ivanov Petrov Novak Kowalski Nowak Jensen Hansen Larsen Andersson Johansson Nilsson Okafor Mensah Diallo Yilmaz
Kaya Demir Cohen Levi`
  .split(/\s+/)
  .filter(Boolean);

export const COMPANY_FIRST = `Blue Red Green Silver Golden North South East West Bright Clear Swift Prime Apex
Summit Peak River Stone Iron Cedar Oak Pine Maple Harbor Bay Coast Lake Sky Star Sun Moon Nova Vector Quantum
Atlas Orbit Pixel Cloud Data Signal Pulse Spark Flux Core Vertex Delta Alpha Beta Omega Zen Terra Aqua Polar
Urban Metro Civic Rapid Smart Bold True Open Next Fresh Lumen Echo Cobalt Crimson Amber Jade Onyx Granite`
  .split(/\s+/)
  .filter(Boolean);

export const COMPANY_SECOND =
  `Works Labs Systems Dynamics Solutions Analytics Networks Logistics Partners Ventures
Industries Health Foods Energy Robotics Software Media Studios Capital Bio Motors Foundry Supply Retail Goods
Security Cloud Learning Travel Mobility Finance Insurance Realty Pharma Textiles Metals Freight Telecom Apparel`
    .split(/\s+/)
    .filter(Boolean);

export const COMPANY_SUFFIXES = [
  'Inc',
  'LLC',
  'Ltd',
  'GmbH',
  'Group',
  'Co',
  'Corp',
  'SA',
  'BV',
  'AB',
] as const;
export const TLDS = ['com', 'com', 'com', 'io', 'co', 'net', 'de', 'co.uk', 'fr', 'ai', 'dev'] as const;
export const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'icloud.com'] as const;

export const INDUSTRIES = [
  'Software',
  'Manufacturing',
  'Healthcare',
  'Financial Services',
  'Retail',
  'Logistics',
  'Education',
  'Energy',
  'Media',
  'Real Estate',
  'Hospitality',
  'Telecommunications',
  'Biotechnology',
  'Construction',
  'Agriculture',
] as const;

export const SIZES = [
  ['1-10', 15],
  ['11-50', 30],
  ['51-200', 25],
  ['201-500', 12],
  ['501-1000', 8],
  ['1001-5000', 7],
  ['5000+', 3],
] as const;

export const TITLES =
  `CEO|CTO|CFO|COO|VP Sales|VP Marketing|VP Engineering|Head of Operations|Head of Procurement|
Sales Director|Marketing Manager|Product Manager|Engineering Manager|Account Executive|Office Manager|
Operations Manager|IT Director|Founder|Co-founder|Purchasing Manager|Software Engineer|Data Analyst|
Customer Success Manager|Business Development Manager|Chief Revenue Officer|HR Director|Finance Manager`
    .split('|')
    .map((title) => title.trim())
    .filter(Boolean);

export const CONTACT_STAGES = [
  ['lead', 40],
  ['qualified', 22],
  ['opportunity', 15],
  ['customer', 18],
  ['churned', 5],
] as const;

export const CONTACT_TAGS = [
  'vip',
  'newsletter',
  'partner',
  'renewal',
  'webinar',
  'trial',
  'enterprise',
  'smb',
  'inbound',
  'outbound',
  'referral',
  'event',
  'decision-maker',
  'champion',
] as const;

export const COMPANY_TAGS = [
  'enterprise',
  'mid-market',
  'smb',
  'partner',
  'reseller',
  'strategic',
  'target',
] as const;
export const DEAL_TAGS = ['renewal', 'upsell', 'new-business', 'strategic', 'expansion', 'partner'] as const;

export const SOURCES = [
  'website',
  'webinar',
  'referral',
  'event',
  'cold-outreach',
  'partner',
  'ads',
] as const;
export const REGIONS = ['amer', 'emea', 'apac', 'latam'] as const;
export const TIERS = ['gold', 'silver', 'bronze'] as const;

export const PRODUCTS = [
  'renewal',
  'expansion',
  'pilot',
  'platform license',
  'onboarding package',
  'support plan',
  'upgrade',
  'annual contract',
  'consulting',
  'integration',
] as const;

export const OPEN_DEAL_STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation'] as const;

export const CURRENCY_WEIGHTS = [
  ['USD', 55],
  ['EUR', 25],
  ['GBP', 10],
  ['JPY', 4],
  ['CAD', 3],
  ['AUD', 3],
] as const;

export const FOLLOW_UP_NOTES = [
  'Send the renewal quote',
  'Check in after the demo',
  'Share the security questionnaire',
  'Confirm budget for next quarter',
  'Book a call with procurement',
  'Send case studies',
  'Follow up on the pilot results',
  'Introduce the solutions engineer',
] as const;

export const ACTIVITY_KINDS = [
  ['email', 35],
  ['call', 25],
  ['meeting', 15],
  ['note', 20],
  ['task', 5],
] as const;

export const ACTIVITY_BODIES: Record<string, readonly string[]> = {
  email: [
    'Sent pricing overview and a link to book a demo',
    'Replied to questions about SSO and data residency',
    'Shared the proposal PDF; asked for feedback by Friday',
    'Sent a recap of the call with next steps',
    'Introduced our customer success lead',
  ],
  call: [
    'Intro call: interested in the team plan, wants a quote',
    'Discussed renewal timing and seat count',
    'Pricing objections; will review with finance',
    'Technical call about the API and webhooks',
    'Left a voicemail, will try again next week',
  ],
  meeting: [
    'Product demo for the operations team',
    'Quarterly business review',
    'On-site workshop on the rollout plan',
    'Negotiation meeting with procurement',
  ],
  note: [
    'Budget approved for next quarter',
    'Champion is moving to another team',
    'Prefers email over calls',
    'Competitor evaluation in progress',
    'Legal review of the MSA started',
  ],
  task: ['Prepared the quote', 'Updated the mutual action plan', 'Sent the contract for signature'],
};
