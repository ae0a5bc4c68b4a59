// Search latency over N contacts on SQLite and (with DATABASE_URL) PostgreSQL.
//   node --import tsx bench/search-latency.mjs [contacts=100000] [queries per kind=40]
// Not part of npm test. Builds a fresh database per dialect, bulk-inserts realistic contacts in
// one transaction (the search triggers index them as they go), then times GET /contacts?search=…
// in-process (HTTP routing, auth, query, rendering — no network) and prints p50/p95 per kind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../src/app.ts';
import { testConfig } from '../src/config.ts';
import { connectStore, migrateToLatest } from '../src/store/connect.ts';

const N = Number(process.argv[2] ?? 100_000);
const PER_KIND = Number(process.argv[3] ?? 40);

// mulberry32: deterministic, and unlike a plain LCG its successive picks are not correlated.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const FIRST =
  'James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce Henry Virginia Douglas Victoria Zachary Kelly Peter Lauren Kyle Christina Ethan Joan Walter Evelyn Noah Judith Jeremy Megan Christian Andrea Keith Cheryl Roger Hannah Terry Jacqueline Gerald Martha Harold Gloria Sean Teresa Austin Ann Carl Sara Arthur Madison Lawrence Frances Dylan Kathryn Jesse Janice Jordan Jean Bryan Abigail Billy Alice Joe Judy Bruce Sophia Gabriel Grace Logan Denise Albert Amber Willie Doris Alan Marilyn Juan Danielle Wayne Beverly Elijah Isabella Randy Theresa Roy Diana Vincent Natalie Ralph Brittany Eugene Charlotte Russell Marie Bobby Kayla Mason Alexis Philip Lori'.split(
    ' ',
  );
const LAST =
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez Wheeler Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson Austin Dominguez Carr Lawson Jacobs Obrien Lynch Singh Vega Bishop Montgomery Oliver Jensen Harvey Williamson Gilbert Dean Sims Espinoza Howell Li Wong Reid Hanson Le McCoy Garrett Burton Fuller Wang Weber Welch Rojas Lucas Marquez Fields Park Yang Little Banks Padilla Day Walsh Bowman Schultz Luna Fowler Mejia Davidson Acosta Brewer May Holland Juarez Newman Pearson Curtis Cortez Douglas Schneider Joseph Barrett Navarro Figueroa Keller Avila Wade Molina Stanley Hopkins Campos Barnett Bates Chambers Caldwell Beck Lambert Miranda Byrd Craig Ayala Lowe Frazier Powers Neal Leonard Gregory Carrillo Sutton Fleming Rhodes Shelton Schwartz Norris Jennings Watts Duran Walters Cohen McDaniel Moran Parks Steele Vaughn Becker Holt Deleon Barker Terry Hale Leon Hail Benson Haynes Horton Miles Lyons Pham Graves Bush Thornton Wolfe Warner Cabrera McKinney Mann Zimmerman Dawson Lara Fletcher Page McCarthy Love Robles Cervantes Solis Erickson Reeves Chang Klein Salinas Fuentes Baldwin Daniel Simon Velasquez Hardy Higgins Aguirre Lin Cummings Chandler Sharp Barber Bowen Ochoa Dennis Robbins Liu Ramsey Francis Griffith Paul Blair Oconnor Cardenas Pacheco Cross Calderon Quinn Moss Swanson Chan Rivas Khan Rodgers Serrano Fitzgerald Rosales Stevenson Christensen Manning Gill Curry McLaughlin Harmon McGee Gross Doyle Garner Newton Burgess Reese Walton Blake Trujillo Adkins Brady Goodman Roman Webster Goodwin Fischer Huang Potter Delacruz Montoya Todd Wu Hines Mullins Castaneda Malone Cannon Tate Mack Sherman Hubbard Hodges Zhang Guerra Wolf Valencia Saunders Franco Rowe Gallagher Farmer Hammond Hampton Townsend Ingram Wise Gallegos Clarke Barton Schroeder Maxwell Waters Logan Camacho Strickland Norman Person Colon Parsons Frank Harrington Glover Osborne Buchanan Casey Floyd Patton Ibarra Ball Tyler Suarez Bowers Orozco Salas Cobb Gibbs Andrade Bauer Conner Moody Escobar McGuire Lloyd Mueller Hartman French Kramer McBride Pope Lindsey Velazquez Norton McCormick Sparks Flynn Yates Hogan Marsh Macias Villanueva Zamora Pratt Stokes Owen Ballard Lang Brock Villarreal Charles Drake Barrera Cain Patrick Pineda Burnett Mercado Santana Shepherd Bautista Ali Shaffer Lamb Trevino McKenzie Hess Beil Olsen Cochran Morton Nash Wilkins Petersen Briggs Shah Roth Nicholson Holloway Lozano Rangel Flowers Hoover Short Arias Mora Valenzuela Bryan Meyers Weiss Underwood Bass Greer Summers Houston Carson Morrow Clayton Whitaker Decker Yoder Collier Zuniga Carey Wilcox Melendez Poole Roberson Larsen Conley Davenport Copeland Massey Lam Huff Rocha Cameron Jefferson Hood Monroe Anthony Pittman Huynh Randall Singleton Kirk Combs Mathis Christian Skinner Bradford Richard Galvan Wall Boone Kirby Wilkinson Bridges Bruce Atkinson Velez Meza Roy Vincent York Hodge Villa Abbott Allison Tapia Gates Chase Sosa Sweeney Farrell Wyatt Dalton Horn Barron Phelps Yu Dickerson Heath Foley Atkins Mathews Bonilla Acevedo Benitez Zavala Hensley Glenn Cisneros Harrell Shields Rubio Choi Huffman Boyer Garrison Arroyo Bond Kane Hancock Callahan Dillon Cline Wiggins Grimes Arellano Melton Oneill Savage Ho Beltran Pitts Parrish Ponce Rich Booth Koch Golden Ware Brennan McDowell Marks Cantu Humphrey Baxter Sawyer Clay Tanner Hutchinson Kaur Berg Wiley Gilmore Russo Villegas Hobbs Keith Wilkerson Ahmed Beard McClain Montes Mata Rosario Vang Walter Henson Oneal Mosley McClure Beasley Stephenson Snow Huerta Preston Vance Barry Johns Eaton Blackwell Dyer Prince Macdonald Solomon Guevara Stafford English Hurst Woodard Cortes Shannon Kemp Nolan McCullough Merritt Murillo Moon Salgado Strong Kline Cordova Barajas Roach Rosas Winters Jacobson Lester Knox Bullock Kerr Leach Meadows Davila Orr Whitehead Pruitt Kent Conway McKee Barr David Dejesus Marin Berger McIntyre Blankenship Gaines Palacios Cuevas Bartlett Durham Dorsey McCall Odonnell Stein Browning Stout Lowery Sloan McLean Hendricks Calhoun Sexton Chung Gentry Hull Duarte Ellison Nielsen Gillespie Buck Middleton Sellers Leblanc Esparza Hardin Bradshaw McIntosh Howe Livingston Frost Glass Morse Knapp Herman Stark Bravo Noble Spears Weeks Corona Frederick Buckley McFarland Hebert Enriquez Hickman Quintero Randolph Schaefer Walls Trejo House Reilly Pennington Michael Conrad Giles Benjamin Crosby Fitzpatrick Donovan Mays Mahoney Valentine Raymond Medrano Hahn McMillan Small Bentley Felix Peck Lucero Boyle Hanna Pace Rush Hurley Harding McConnell Bernal Nava Ayers Everett Ventura Avery Pugh Mayer Bender Shepard McMahon Landry Case Sampson Moses Magana Blackburn Dunlap Gould Duffy Vaughan Herring McKay Espinosa Rivers Farley Bernard Ashley Friedman Potts Truong Costa Correa Blevins Nixon Clements Fry Delarosa Best Benton Lugo Portillo Dougherty Crane Haley Phan Villalobos Blanchard Horne Finley Quintana Lynn Esquivel Bean Dodson Mullen Xiong Hayden Cano Levy Huber Richmond Moyer Lim Frye Sheppard McCarty Avalos Booker Waller Parra Woodward Jaramillo Krueger Rasmussen Brandt Peralta Donaldson Stuart Faulkner Maynard Galindo Coffey Estes Sanford Burch Maddox Vo Oconnell Vu Andersen Spence McPherson Church Schmitt Stanton Leal Cherry Compton Dudley Sierra Pollard Alfaro Hester Proctor Lu Hinton Novak Good Madden McCann Terrell Jarvis Dickson Reyna Cantrell Mayo Branch Hendrix Rollins Rowland Whitney Duke Odom Daugherty Travis Tang Archer'.split(
    ' ',
  );
const TITLES = [
  'CEO',
  'CTO',
  'VP Sales',
  'Head of Marketing',
  'Procurement Manager',
  'Engineer',
  'Founder',
  'Account Executive',
  'Operations Lead',
  'Buyer',
];
const DOMAINS = Array.from(
  { length: 2000 },
  (_, i) => `${pick(LAST).toLowerCase()}${['corp', 'labs', 'inc', 'group', 'co'][i % 5]}.example`,
);
const NOTES = [
  'Send the renewal quote',
  'Call back about pricing',
  'Met at the conference',
  'Wants a demo next week',
  'Follow up on the contract',
  null,
  null,
  null,
];

function contact(workspaceId, i, now) {
  const first = pick(FIRST);
  const last = pick(LAST);
  return {
    workspace_id: workspaceId,
    id: `c_${i.toString(36).padStart(16, '0')}`,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@${pick(DOMAINS)}`,
    phone: i % 3 === 0 ? `+1 ${200 + (i % 700)} 555 ${String(i % 10000).padStart(4, '0')}` : null,
    title: random() < 0.6 ? pick(TITLES) : null,
    stage: pick(['lead', 'qualified', 'customer', null]),
    company_id: null,
    tags: '[]',
    custom: '{}',
    follow_up_at: null,
    follow_up_note: pick(NOTES),
    version: 1,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
}

function typo(word) {
  const w = word.toLowerCase();
  const i = 1 + Math.floor(random() * (w.length - 2));
  return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
}

const kinds = {
  'last name': () => pick(LAST.filter((l) => l.length >= 5)).toLowerCase(),
  'typo (swap)': () => typo(pick(LAST.filter((l) => l.length >= 6))),
  'first + last': () => `${pick(FIRST)} ${pick(LAST)}`.toLowerCase(),
  'email fragment': () => `${pick(FIRST).toLowerCase()}.${pick(LAST).toLowerCase()}`,
  domain: () => pick(DOMAINS),
  'phone digits': () => `555 ${String(Math.floor(random() * 10000)).padStart(4, '0')}`.replace(' ', ''),
  'broad (3 letters)': () => pick(['son', 'ann', 'mar', 'lee']),
};

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function run(dialect) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'agentcrm-bench-'));
  const env = { DATA_DIR: dataDir };
  let dropSchema = async () => {};
  if (dialect === 'postgres') {
    const schema = `bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
    dropSchema = async () => {
      if (process.env.KEEP) return console.log(`kept schema ${schema}`);
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    };
  }
  const config = testConfig(env);
  const store = connectStore(config);
  try {
    await migrateToLatest(store);
    const app = createApp({ config, store });
    const boot = await app.request('/agent-bootstrap', {
      method: 'POST',
      body: JSON.stringify({ agent_name: 'bench' }),
      headers: { accept: 'application/json' },
    });
    const { token, workspace_id: workspaceId } = (await boot.json()).data;
    seed = 42;
    const started = performance.now();
    const now = new Date().toISOString();
    await store.db.transaction().execute(async (trx) => {
      let lap = performance.now();
      for (let i = 0; i < N; i += 500) {
        const rows = Array.from({ length: Math.min(500, N - i) }, (_, k) => contact(workspaceId, i + k, now));
        await trx.insertInto('contacts').values(rows).execute();
        if (process.env.PROGRESS && (i + 500) % 50_000 === 0) {
          console.log(
            `  ${i + 500} rows, ${(((performance.now() - lap) / 50_000) * 1000).toFixed(0)} µs/row`,
          );
          lap = performance.now();
        }
      }
    });
    const insertSeconds = (performance.now() - started) / 1000;
    if (dialect === 'postgres') await sql`analyze`.execute(store.db);
    if (process.env.KEEP) console.log(`workspace ${workspaceId}`);
    const lines = [`${dialect}: ${N} contacts inserted and indexed in ${insertSeconds.toFixed(1)} s`];
    const all = [];
    for (const [kind, make] of Object.entries(kinds)) {
      const times = [];
      let rows = 0;
      for (let i = 0; i < PER_KIND + 3; i++) {
        const term = make();
        const t0 = performance.now();
        const reply = await app.request(`/contacts?search=${encodeURIComponent(term)}&format=json`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = await reply.json();
        const ms = performance.now() - t0;
        if (reply.status !== 200) throw new Error(`${term}: ${JSON.stringify(body.error)}`);
        if (i < 3) continue; // warm-up
        times.push(ms);
        all.push(ms);
        rows += body.data.length;
      }
      times.sort((a, b) => a - b);
      lines.push(
        `  ${kind.padEnd(18)} p50 ${quantile(times, 0.5).toFixed(1).padStart(7)} ms  p95 ${quantile(times, 0.95).toFixed(1).padStart(7)} ms  (avg ${(rows / times.length).toFixed(1)} rows/page)`,
      );
    }
    all.sort((a, b) => a - b);
    lines.push(
      `  ${'all'.padEnd(18)} p50 ${quantile(all, 0.5).toFixed(1).padStart(7)} ms  p95 ${quantile(all, 0.95).toFixed(1).padStart(7)} ms`,
    );
    console.log(lines.join('\n'));
  } finally {
    await store.close();
    await dropSchema();
    if (process.env.KEEP) console.log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!process.env.ONLY_POSTGRES) await run('sqlite');
if (process.env.DATABASE_URL) await run('postgres');
