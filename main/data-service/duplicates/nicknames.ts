// Given names that are the same name to the people who use them: diminutives (Bob,
// Robert), short forms (Kath, Katherine) and spelling variants (Mohammed, Muhammad).
// npm has no maintained nickname list, so this is a compact table curated for the UK from
// the groups of carltonnorthern/nicknames (Apache-2.0, github.com/carltonnorthern/nicknames)
// and common British usage. Names are folded (lower case, no accents). A name may sit in
// several groups (Alex, Chris, Sam): each group is one set of names that can mean one person.
const GROUPS: readonly string[] = [
  'robert rob robbie robby bob bobby bert',
  'william will willie willy bill billy liam',
  'richard rich richie rick ricky dick',
  'james jim jimmy jamie',
  'john jon johnny jack',
  'jonathan jon jonny johnny',
  'michael mike mikey mick micky',
  'thomas tom tommy',
  'david dave davy davey',
  'peter pete',
  'stephen steven steve stevie',
  'christopher chris kit',
  'anthony tony',
  'andrew andy drew',
  'daniel dan danny',
  'matthew matt matty',
  'nicholas nick nicky',
  'edward ed eddie ted ned',
  'joseph joe joey',
  'samuel sam sammy',
  'benjamin ben benny',
  'alexander alex alec sandy',
  'alexandra alex lexi',
  'charles charlie chas',
  'henry harry hal',
  'patrick pat paddy',
  'gerald gerard gerry ged',
  'kenneth ken kenny',
  'gregory greg',
  'timothy tim timmy',
  'philip phillip phil',
  'frederick fred freddie freddy',
  'alfred alf alfie fred',
  'albert bert bertie',
  'ronald ron ronnie',
  'donald don donny',
  'leonard len lenny',
  'raymond ray',
  'terence terry',
  'lawrence laurence larry laurie',
  'douglas doug dougie',
  'nathaniel nathan nat nate',
  'oliver ollie',
  'jacob jake',
  'callum calum',
  'euan ewan ewen',
  'rhys reece reese',
  'sean shaun shawn',
  'mohammed muhammad mohammad mohamed mohamad mo',
  'margaret maggie peggy peg meg mags madge',
  'elizabeth liz lizzie beth betty bet bess eliza libby',
  'katherine catherine kathryn kath cath kathy cathy kate katie kay kitty',
  'katarzyna kasia',
  'patricia pat patsy trish tricia',
  'susan sue susie suzy suzanne',
  'jennifer jen jenny',
  'rebecca becky becca',
  'deborah debbie debra deb',
  'victoria vicky vicki tori',
  'jessica jess jessie',
  'christine christina chris chrissie tina',
  'barbara barb babs',
  'dorothy dot dotty dolly',
  'mary molly polly',
  'ann anne annie anna nan',
  'helen ellen nell nellie',
  'eleanor elinor ellie nell',
  'jacqueline jackie jacqui',
  'josephine jo josie',
  'joanne joanna jo',
  'samantha sam sammy',
  'abigail abby abbie',
  'alison allison ali',
  'amanda mandy',
  'frances fran',
  'theresa teresa tess tessa',
  'valerie val',
  'pamela pam',
  'sandra sandy',
  'gillian gill jill',
  'aisha ayesha',
  'fatima fatimah',
  'zainab zaynab',
  'maryam mariam',
];

const groupsByName = new Map<string, number[]>();
GROUPS.forEach((group, index) => {
  for (const name of group.split(' ')) groupsByName.set(name, [...(groupsByName.get(name) ?? []), index]);
});

/** Ids of the groups a folded given name belongs to (empty if none). */
export function nicknameGroups(name: string): readonly number[] {
  return groupsByName.get(name) ?? [];
}

/** The first, formal name of a group: the shared spelling used in blocking keys. */
export function groupName(group: number): string {
  return GROUPS[group]!.split(' ', 1)[0]!;
}

/** Every name that can mean the same person as this one (itself included). */
export function nameVariants(name: string): string[] {
  const variants = new Set([name]);
  for (const g of nicknameGroups(name)) for (const v of GROUPS[g]!.split(' ')) variants.add(v);
  return [...variants];
}
