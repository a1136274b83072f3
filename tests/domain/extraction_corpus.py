"""Sentences in the style of wire reports, each with the figures ``extract`` should propose.

Every case is extracted on its own (``publisher=None``), so a figure with no attribution belongs to
the unnamed publisher. A proposal is correct when its words, metric, interval and claimant's name
match (``Expected``); modality is scored separately. Intervals use the default tolerance 0.2.
Negatives (years, ages, dates, money, percentages, durations, names) expect nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.extraction import PUBLISHER_NAME

PUBLISHER = PUBLISHER_NAME


@dataclass(frozen=True)
class Expected:
    words: str
    bound: str
    low: float | None
    high: float | None
    metric: str
    claimant: str  # the claimant source's name
    modality: str = "asserted"


@dataclass(frozen=True)
class Case:
    text: str
    expected: tuple[Expected, ...] = ()


E = Expected

CORPUS: tuple[Case, ...] = (
    # ---------------------------------------------------------------- casualty tolls
    Case(
        "At least 12 people were killed and 30 wounded when a car bomb exploded near a market in "
        "Baghdad on Sunday, police said.",
        (
            E("At least 12", "ge", 12, None, "killed", "police"),
            E("30", "exact", 30, 30, "injured", "police"),
        ),
    ),
    Case(
        "Rescuers said the death toll from the earthquake had risen to 1,350, with more than 4,000 people injured.",
        (
            E("1,350", "exact", 1350, 1350, "killed", "rescuers"),
            E("more than 4,000", "gt", 4001, None, "injured", "rescuers"),
        ),
    ),
    Case(
        "The ministry of health put the number of dead at 74, including 19 children.",
        (
            E("74", "exact", 74, 74, "killed", "ministry of health"),
            E("19", "exact", 19, 19, "killed", "ministry of health"),
        ),
    ),
    Case(
        "Witnesses said dozens of bodies lay in the streets after the shelling.",
        (E("dozens", "vague", 24, None, "killed", "witnesses"),),
    ),
    Case(
        "According to the Syrian Observatory for Human Rights, 25 civilians, including seven "
        "children, died in the air strikes.",
        (
            E("25", "exact", 25, 25, "killed", "Syrian Observatory for Human Rights"),
            E("seven", "exact", 7, 7, "killed", "Syrian Observatory for Human Rights"),
        ),
    ),
    Case(
        "Israeli strikes killed 15 people in Gaza overnight, the territory's health ministry said.",
        (E("15", "exact", 15, 15, "killed", "territory's health ministry"),),
    ),
    Case(
        "The army said it had killed 'dozens of terrorists' in the operation.",
        (E("dozens", "vague", 24, None, "killed", "army"),),
    ),
    Case(
        "Two police officers were wounded in the attack, the mayor's office said.",
        (E("Two", "exact", 2, 2, "injured", "mayor's office"),),
    ),
    Case(
        "Five journalists were among the dead, Reporters Without Borders said.",
        (E("Five", "exact", 5, 5, "killed", "Reporters Without Borders"),),
    ),
    Case(
        "Sources told Reuters that at least 40 soldiers were killed in the ambush.",
        (E("at least 40", "ge", 40, None, "killed", "sources", "reported"),),
    ),
    Case(
        "Hospital officials said 43 people were being treated for injuries, eight of them in critical condition.",
        (
            E("43", "exact", 43, 43, "injured", "hospital officials"),
            E("eight", "exact", 8, 8, "injured", "hospital officials"),
        ),
    ),
    Case(
        "The death toll from Saturday's stampede rose to 37, officials said, and could climb further.",
        (E("37", "exact", 37, 37, "killed", "officials"),),
    ),
    Case(
        "The U.N. said at least 9,000 civilians had been killed since the start of the invasion.",
        (E("at least 9,000", "ge", 9000, None, "killed", "U.N."),),
    ),
    Case(
        "The Associated Press counted at least 1,700 deaths in the violence.",
        (E("at least 1,700", "ge", 1700, None, "killed", "The Associated Press", "reported"),),
    ),
    Case(
        "The health ministry in Gaza said 104 people had been killed in the past 24 hours.",
        (E("104", "exact", 104, 104, "killed", "health ministry in Gaza"),),
    ),
    Case(
        "Local media reported that up to 50 people may have drowned.",
        (E("up to 50", "le", 0, 50, "killed", "local media", "hedged"),),
    ),
    Case(
        "Three civilians were killed and eight others wounded in Russian shelling of Kharkiv "
        "overnight, regional governor Oleh Synehubov said on Telegram.",
        (
            E("Three", "exact", 3, 3, "killed", "Oleh Synehubov"),
            E("eight", "exact", 8, 8, "injured", "Oleh Synehubov"),
        ),
    ),
    Case(
        "At least 3 people died and 14 others were hospitalized after a gas leak, officials said.",
        (
            E("At least 3", "ge", 3, None, "killed", "officials"),
            E("14", "exact", 14, 14, "hospitalized", "officials"),
        ),
    ),
    Case(
        "The storm left 7 dead and 2 missing, officials said.",
        (
            E("7", "exact", 7, 7, "killed", "officials"),
            E("2", "exact", 2, 2, "missing", "officials"),
        ),
    ),
    Case(
        "According to a Reuters tally, at least 220 people have died in the clashes.",
        (E("at least 220", "ge", 220, None, "killed", "Reuters", "reported"),),
    ),
    Case(
        "The Pentagon said U.S. forces had suffered 12 casualties in the raid.",
        (E("12", "exact", 12, 12, "casualties", "Pentagon"),),
    ),
    Case(
        "The Kremlin denied reports that 40 Russian soldiers had been killed.",
        (E("40", "exact", 40, 40, "killed", "Kremlin", "denied"),),
    ),
    Case(
        "The newspaper later retracted its report that 300 people had died in the blast.",
        (E("300", "exact", 300, 300, "killed", "newspaper", "retracted"),),
    ),
    Case(
        "Sources told Bloomberg that 300 contractors had been killed, but the Defense Ministry denied the figure.",
        (E("300", "exact", 300, 300, "killed", "sources", "reported"),),
    ),
    Case(
        "Flight 17 was shot down over eastern Ukraine in July 2014, killing all 298 people on board.",
        (E("298", "exact", 298, 298, "killed", PUBLISHER),),
    ),
    Case(
        "Officials said 120 people were killed, while activists put the toll at nearly three times that number.",
        (
            E("120", "exact", 120, 120, "killed", "officials"),
            E("nearly three times that number", "relative", 288, 360, "killed", "activists"),
        ),
    ),
    Case(
        "A senior official told The New York Times that 80 people had been killed. The official said "
        "twice that number were wounded.",
        (
            E("80", "exact", 80, 80, "killed", "senior official", "reported"),
            E("twice that number", "relative", 160, 160, "injured", "senior official", "reported"),
        ),
    ),
    Case(
        "Twice as many people were injured as in last year's riots, a police source told AFP.",
        (E("Twice as many", "relative", None, None, "injured", "police source", "reported"),),
    ),
    Case(
        "“We have counted 45 bodies so far,” said Ahmed Hassan, a spokesman for the health ministry. "
        "“Another 60 people are still missing.”",
        (
            E("45", "exact", 45, 45, "killed", "Ahmed Hassan"),
            E("Another 60", "exact", 60, 60, "missing", "Ahmed Hassan"),
        ),
    ),
    Case(
        "Ivan Petrov, the regional police chief, said 17 people had been detained. He said another nine were wounded.",
        (
            E("17", "exact", 17, 17, "arrested", "Ivan Petrov"),
            E("another nine", "exact", 9, 9, "injured", "Ivan Petrov"),
        ),
    ),
    Case(
        "Floods kill at least 30 in Kenya\n\nAt least 30 people were killed in floods in western "
        "Kenya, the Red Cross said.",
        (
            E("at least 30", "ge", 30, None, "killed", PUBLISHER),
            E("At least 30", "ge", 30, None, "killed", "Red Cross"),
        ),
    ),
    # ---------------------------------------------------------------- injuries, missing
    Case(
        "Nearly 300 migrants are missing after their boat capsized off the Libyan coast, the "
        "International Organization for Migration said on Tuesday.",
        (E("Nearly 300", "approx_below", 240, 300, "missing", "International Organization for Migration"),),
    ),
    Case(
        "At least 150 people remain unaccounted for after the landslide, local authorities said.",
        (E("At least 150", "ge", 150, None, "missing", "local authorities"),),
    ),
    Case(
        "Around 60 people are believed to be trapped under the rubble, rescue officials said.",
        (E("Around 60", "approx", 48, 72, "trapped", "rescue officials", "hedged"),),
    ),
    Case(
        "Eleven people remain missing, the coast guard said on Wednesday.",
        (E("Eleven", "exact", 11, 11, "missing", "coast guard"),),
    ),
    # ---------------------------------------------------------------- displacement
    Case(
        "The United Nations refugee agency estimates that some 250,000 people have fled the fighting "
        "in the past two weeks.",
        (E("some 250,000", "approx", 200_000, 300_000, "displaced", "United Nations refugee agency"),),
    ),
    Case(
        "An estimated 5,000 people were left homeless by the floods, the Red Cross said.",
        (E("An estimated 5,000", "approx", 4000, 6000, "displaced", "Red Cross"),),
    ),
    Case(
        "More than 2,000 people have been displaced by the fighting in the past week, the U.N. said.",
        (E("More than 2,000", "gt", 2001, None, "displaced", "U.N."),),
    ),
    Case(
        "Authorities said 1.2 million people had been evacuated ahead of the storm.",
        (E("1.2 million", "exact", 1_200_000, 1_200_000, "displaced", "authorities"),),
    ),
    Case(
        "The UNHCR says more than 6.5 million Ukrainians have fled the country since February 24.",
        (E("more than 6.5 million", "gt", 6_500_001, None, "displaced", "UNHCR"),),
    ),
    Case(
        "Relief agencies say as many as 2,500 families have been uprooted.",
        (E("as many as 2,500", "le", 0, 2500, "displaced", "relief agencies"),),
    ),
    Case(
        "Thousands of residents fled their homes as the fire spread, state broadcaster NHK reported.",
        (E("Thousands", "vague", 2000, None, "displaced", "NHK", "reported"),),
    ),
    Case(
        "Hundreds of thousands of people have fled to neighbouring Poland, the UNHCR said.",
        (E("Hundreds of thousands", "vague", 200_000, None, "displaced", "UNHCR"),),
    ),
    Case(
        "The fighting has displaced more than 60,000 people, aid groups said.",
        (E("more than 60,000", "gt", 60_001, None, "displaced", "aid groups"),),
    ),
    # ---------------------------------------------------------------- arrests
    Case(
        "Police arrested 57 protesters in the capital on Saturday, the interior ministry said in a statement.",
        (E("57", "exact", 57, 57, "arrested", "interior ministry"),),
    ),
    Case(
        "Security forces detained more than 1,200 people during the protests, a human rights group said.",
        (E("more than 1,200", "gt", 1201, None, "arrested", "human rights group"),),
    ),
    Case(
        "Eyewitnesses told the BBC that hundreds of protesters had been detained.",
        (E("hundreds", "vague", 200, None, "arrested", "eyewitnesses", "reported"),),
    ),
    Case(
        "The Interior Ministry said 3,400 people were detained at rallies in more than 100 cities.",
        (E("3,400", "exact", 3400, 3400, "arrested", "Interior Ministry"),),
    ),
    Case(
        "Reportedly, 12 soldiers were captured by the rebels.",
        (E("12", "exact", 12, 12, "arrested", PUBLISHER, "reported"),),
    ),
    Case(
        "Dozens of people were arrested on Sunday, according to OVD-Info, a group that monitors detentions.",
        (E("Dozens", "vague", 24, None, "arrested", "OVD-Info"),),
    ),
    Case(
        "Police fired tear gas and arrested 25 people, a spokesman said, adding that six officers were hurt.",
        (
            E("25", "exact", 25, 25, "arrested", "spokesman"),
            E("six", "exact", 6, 6, "injured", "spokesman"),
        ),
    ),
    Case(
        "Police detained 12 people and were looking for another 20 suspects.",
        (E("12", "exact", 12, 12, "arrested", PUBLISHER),),
    ),
    Case(
        "Some 300 soldiers were captured and at least 40 killed, the rebels said.",
        (
            E("Some 300", "approx", 240, 360, "arrested", "rebels"),
            E("at least 40", "ge", 40, None, "killed", "rebels"),
        ),
    ),
    # ---------------------------------------------------------------- crowd sizes
    Case(
        "Tens of thousands of people marched through central Madrid on Sunday, according to "
        "organizers, while police put the turnout at 15,000.",
        (
            E("Tens of thousands", "vague", 20_000, None, "participants", "organizers"),
            E("15,000", "exact", 15_000, 15_000, "participants", "police"),
        ),
    ),
    Case(
        "Organizers said about 800,000 people attended the rally, but police put the crowd at fewer than 100,000.",
        (
            E("about 800,000", "approx", 640_000, 960_000, "participants", "organizers"),
            E("fewer than 100,000", "lt", 0, 99_999, "participants", "police"),
        ),
    ),
    Case(
        "About 3,000 people gathered in the square on Friday evening.",
        (E("About 3,000", "approx", 2400, 3600, "participants", PUBLISHER),),
    ),
    Case(
        "Officials estimated the crowd at between 10,000 and 15,000.",
        (E("between 10,000 and 15,000", "range", 10_000, 15_000, "participants", "officials"),),
    ),
    Case(
        "Some 40,000 people took part in the march, organisers said, while police estimated the crowd at 18,000.",
        (
            E("Some 40,000", "approx", 32_000, 48_000, "participants", "organisers"),
            E("18,000", "exact", 18_000, 18_000, "participants", "police"),
        ),
    ),
    Case(
        "Organizers said 100,000 people took part in the march. Police said half as many marched.",
        (
            E("100,000", "exact", 100_000, 100_000, "participants", "organizers"),
            E("half as many", "relative", 50_000, 50_000, "participants", "police"),
        ),
    ),
    # ---------------------------------------------------------------- equipment
    Case(
        "Russian strikes destroyed 14 armoured vehicles and two helicopters, the defence ministry said.",
        (
            E("14", "exact", 14, 14, "equipment_lost", "defence ministry"),
            E("two", "exact", 2, 2, "equipment_lost", "defence ministry"),
        ),
    ),
    Case(
        "Ukraine's military said it had shot down 11 drones overnight.",
        (E("11", "exact", 11, 11, "equipment_lost", "Ukraine's military"),),
    ),
    Case(
        "The coalition said its aircraft had destroyed nine tanks and 23 other vehicles.",
        (
            E("nine", "exact", 9, 9, "equipment_lost", "coalition"),
            E("23", "exact", 23, 23, "equipment_lost", "coalition"),
        ),
    ),
    Case(
        "Ukrainian officials claimed Russian forces had lost roughly 200 aircraft.",
        (E("roughly 200", "approx", 160, 240, "equipment_lost", "Ukrainian officials"),),
    ),
    # ---------------------------------------------------------------- mixed wire copy
    Case(
        "Gunmen killed at least 23 villagers in northern Nigeria overnight, a local official told AFP on Monday.",
        (E("at least 23", "ge", 23, None, "killed", "local official", "reported"),),
    ),
    Case(
        "The Health Ministry raised the death toll to 2,112 on Wednesday, saying 9,400 others had been wounded.",
        (
            E("2,112", "exact", 2112, 2112, "killed", "Health Ministry"),
            E("9,400", "exact", 9400, 9400, "injured", "Health Ministry"),
        ),
    ),
    Case(
        "More than 500 people were injured in clashes with police, the Red Crescent said, while "
        "opposition groups put the number at over 1,000.",
        (
            E("More than 500", "gt", 501, None, "injured", "Red Crescent"),
            E("over 1,000", "gt", 1001, None, "injured", "opposition groups"),
        ),
    ),
    Case(
        "Some 1,500 demonstrators gathered outside parliament on Thursday, according to police estimates.",
        (E("Some 1,500", "approx", 1200, 1800, "participants", "police"),),
    ),
    Case(
        "The attack left 31 people dead and more than 100 wounded, Afghan officials said.",
        (
            E("31", "exact", 31, 31, "killed", "Afghan officials"),
            E("more than 100", "gt", 101, None, "injured", "Afghan officials"),
        ),
    ),
    Case(
        "Authorities have evacuated about 12,000 residents from towns near the volcano.",
        (E("about 12,000", "approx", 9600, 14_400, "displaced", PUBLISHER),),
    ),
    Case(
        "A day earlier, 14 migrants drowned when their dinghy sank, the Greek coast guard said.",
        (E("14", "exact", 14, 14, "killed", "Greek coast guard"),),
    ),
    Case(
        "The ministry said 62 servicemen were killed and 180 wounded in a single strike on a training "
        "ground, while Ukraine claimed 400 dead.",
        (
            E("62", "exact", 62, 62, "killed", "ministry"),
            E("180", "exact", 180, 180, "injured", "ministry"),
            E("400", "exact", 400, 400, "killed", "Ukraine"),
        ),
    ),
    Case(
        "Police estimated that 2,000 people had joined the protest, a figure organizers said was far too low.",
        (E("2,000", "exact", 2000, 2000, "participants", "police"),),
    ),
    Case(
        "At least 1,000 people were detained across Russia on Saturday, OVD-Info said, citing its own tally.",
        (E("At least 1,000", "ge", 1000, None, "arrested", "OVD-Info"),),
    ),
    Case(
        "Israel says 1,200 people were killed in the Oct. 7 attack.",
        (E("1,200", "exact", 1200, 1200, "killed", "Israel"),),
    ),
    Case(
        "The blast injured 19 people, two of them seriously, emergency services said.",
        (
            E("19", "exact", 19, 19, "injured", "emergency services"),
            E("two", "exact", 2, 2, "injured", "emergency services"),
        ),
    ),
    Case(
        "Officials put the number of displaced at roughly 40,000.",
        (E("roughly 40,000", "approx", 32_000, 48_000, "displaced", "officials"),),
    ),
    Case(
        "Five soldiers and a civilian were killed, the army said.",
        (E("Five", "exact", 5, 5, "killed", "army"),),
    ),
    # ---------------------------------------------------------------- written after the rules, scored unseen
    # Two batches written once the extractor ran on the cases above, and scored before any change:
    # the first at precision 0.87 / recall 0.81, the second at 0.75 / 0.69. The misses (a bare
    # number set against another, "police said, and ...", "taken hostage", "British intelligence",
    # "a spokesman for X") were then fixed by general rules or word-list entries.
    Case(
        "At least 19 people were killed when a bus plunged into a ravine in northern Peru, police said on Sunday.",
        (E("At least 19", "ge", 19, None, "killed", "police"),),
    ),
    Case(
        "The World Health Organization said more than 1,000 people had died of cholera since January.",
        (E("more than 1,000", "gt", 1001, None, "killed", "World Health Organization"),),
    ),
    Case(
        "Some 200 families were evacuated overnight as the river burst its banks, the regional governor said.",
        (E("Some 200", "approx", 160, 240, "displaced", "regional governor"),),
    ),
    Case(
        "Riot police detained about 150 demonstrators, a Reuters witness said.",
        (E("about 150", "approx", 120, 180, "arrested", "Reuters witness"),),
    ),
    Case(
        "An estimated 250,000 people marched in Paris, according to the CGT union, while the interior ministry "
        "counted 65,000.",
        (
            E("An estimated 250,000", "approx", 200000, 300000, "participants", "CGT union"),
            E("65,000", "exact", 65000, 65000, "participants", "interior ministry"),
        ),
    ),
    Case(
        "Two firefighters were injured and four people remain missing, the fire department said.",
        (E("Two", "exact", 2, 2, "injured", "fire department"), E("four", "exact", 4, 4, "missing", "fire department")),
    ),
    Case(
        "The rebels claimed to have shot down three government helicopters.",
        (E("three", "exact", 3, 3, "equipment_lost", "rebels"),),
    ),
    Case(
        "Medics said dozens of wounded were brought to the hospital.",
        (E("dozens", "vague", 24, None, "injured", "medics"),),
    ),
    Case("Ten years ago, the 2008 crisis cost the bank $12 billion and 3,000 jobs."),
    Case(
        "The defence ministry in Moscow said its forces had killed up to 600 Ukrainian soldiers.",
        (E("up to 600", "le", 0, 600, "killed", "defence ministry in Moscow"),),
    ),
    Case(
        "Nearly 40,000 people have been forced to flee their homes, the U.N. humanitarian office said.",
        (E("Nearly 40,000", "approx_below", 32000, 40000, "displaced", "U.N. humanitarian office"),),
    ),
    Case(
        "More than 70 people were arrested in connection with the riots, police said, and 12 officers were hurt.",
        (E("More than 70", "gt", 71, None, "arrested", "police"), E("12", "exact", 12, 12, "injured", PUBLISHER)),
    ),
    Case(
        "Amnesty International said at least 304 protesters had been killed by security forces.",
        (E("at least 304", "ge", 304, None, "killed", "Amnesty International"),),
    ),
    Case("The quake, which struck at 4:17 a.m., was felt 300 kilometres away."),
    Case(
        "Hundreds of people were reported missing after the storm.",
        (E("Hundreds", "vague", 200, None, "missing", PUBLISHER, "reported"),),
    ),
    Case(
        "Thirty-two people died in the fire, officials said on Friday.",
        (E("Thirty-two", "exact", 32, 32, "killed", "officials"),),
    ),
    Case(
        "Border guards said they had detained nearly 2,000 migrants trying to cross in the past week.",
        (E("nearly 2,000", "approx_below", 1600, 2000, "arrested", "border guards"),),
    ),
    Case(
        "Local officials told The Guardian that as many as 80 bodies had been recovered.",
        (E("as many as 80", "le", 0, 80, "killed", "local officials", "reported"),),
    ),
    Case("Rescue teams pulled 17 survivors from the rubble, the civil defence said.", ()),
    Case(
        "The protest drew a crowd of about 5,000, organizers said.",
        (E("about 5,000", "approx", 4000, 6000, "participants", "organizers"),),
    ),
    Case(
        "Israeli officials said around 240 people were taken hostage.",
        (E("around 240", "approx", 192, 288, "arrested", "Israeli officials"),),
    ),
    Case(
        "The floods have displaced 1.5 million people, UNICEF said, half of them children.",
        (E("1.5 million", "exact", 1500000, 1500000, "displaced", "UNICEF"),),
    ),
    Case(
        "A spokesman for the regional government said three people were killed and dozens injured.",
        (E("three", "exact", 3, 3, "killed", "spokesman"), E("dozens", "vague", 24, None, "injured", "spokesman")),
    ),
    Case(
        "Police put the number of participants at 12,000; organizers claimed 40,000.",
        (
            E("12,000", "exact", 12000, 12000, "participants", "police"),
            E("40,000", "exact", 40000, 40000, "participants", "organizers"),
        ),
    ),
    Case(
        "In 2019, the agency recorded 1,283 deaths on the route, its highest toll in five years.",
        (E("1,283", "exact", 1283, 1283, "killed", "agency"),),
    ),
    Case("The ministry later revised the figure down to 41 dead.", (E("41", "exact", 41, 41, "killed", "ministry"),)),
    Case(
        "Russian forces lost at least 30 tanks in the failed river crossing, British intelligence said.",
        (E("at least 30", "ge", 30, None, "equipment_lost", "British intelligence"),),
    ),
    Case("The group said it had freed 12 hostages."),
    # ---------------------------------------------------------------- negatives: nothing to propose
    Case("The company's shares fell 12 percent to $45.60 in 2019."),
    Case("The suspect, 34, was arrested at his home in Leeds on March 3."),
    Case("A 45-year-old man was charged with murder in 2017 and sentenced to 12 years in prison."),
    Case("The company, founded in 1998, employs 4,500 people in 12 countries."),
    Case("The two leaders met for three hours on Tuesday, their first meeting since 2019."),
    Case("Police said a 19-year-old man had been arrested."),
    Case("Police said 1,500 officers would be deployed to keep order at the match."),
    Case("The 2018 budget allocates $4.5 billion to the ministry, up 7% from last year."),
    Case("The meeting will start at 10 a.m. on June 5 at the U.N. headquarters."),
    Case("It was one of only a handful of trips abroad he made in his first year."),
    Case("The agency has 300 employees and 12 offices in 40 countries."),
    Case("The 34-year-old was killed on Feb. 7, 2018, the family said."),
    Case("Turnout was 62 percent, the election commission said."),
    Case("Prices rose 3.5% in March, and unemployment fell to 4.1 million."),
    Case("Two of the ministers resigned on Monday after 18 months in office."),
    Case("In 2015, the group said it had 5,000 members."),
    Case("The 21st round of talks, held in Geneva at 5 p.m., ended without a deal worth $2 billion."),
)
