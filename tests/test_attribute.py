"""Attribution: who the text presents as reporting each figure.

Each row is a passage, the figure's text in it (its first occurrence), the source the figure
must get, the relay (`via`) it must get, and the kind of attribution (ANY: not checked). Sources
are compared exactly: each source has one spelling within a document. The figure is placed by
locating its text, so the rows test attribution alone, whatever extraction finds.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from service.attribute import attribute
from service.attribution.quotes import find_quotes
from service.models import Attribution, Document, Figure, Frame
from service.read import ParsedDocument, read
from service.rules import RuleSet

DESK = "Desk"
ANY = object()

# fmt: off
CASES: list[tuple[str, str, str, object, object]] = [
    # --- according to X ------------------------------------------------------------------------
    ("According to Interfax, 28 ships from the Northern Fleet have joined the drills.",
     "28 ships", "Interfax", None, "according_to"),
    ("Some 2,150 firefighters are assigned to the fire, according to the incident command.",
     "2,150", "incident command", None, "according_to"),
    ("Nearly 3,900 migrants crossed in August, bringing the total for the year to 21,460, according to "
     "government figures.",
     "3,900", "government figures", None, "according_to"),
    ("Recorded burglaries fell to 3,212, according to figures released by Kellwood Police on Wednesday.",
     "3,212", "Kellwood Police", None, "according_to"),
    ("Hospitals have 2,340 beds in all, according to a report by the regional health authority.",
     "2,340", "regional health authority", None, "according_to"),
    ("Police arrested 26 fans on Sunday, according to a statement from the regional police command.",
     "26 fans", "regional police command", None, "according_to"),
    ("Adult social care will receive £412m, according to the finance report.",
     "£412m", "finance report", None, "according_to"),
    # a document named by its own words is what 'the report' means later
    ("Exports fell 12%, according to the finance ministry report. The report also shows imports rose 4%.",
     "4%", "finance ministry report", None, ANY),
    # who only saw or obtained a document did not make it: the document, named, is the source ...
    ("Attacks rose to 71 this year, according to an internal mission report seen by the Observer. The report "
     "also lists the deaths of 61 blue helmets since 2014.",
     "71", "internal mission report", None, "according_to"),
    ("Attacks rose to 71 this year, according to an internal mission report seen by the Observer. The report "
     "also lists the deaths of 61 blue helmets since 2014.",
     "61 blue helmets", "internal mission report", None, ANY),
    # ... and a document without a name is known by who saw it
    ("The army lost 300 tanks, according to documents obtained by the Financial Times.",
     "300 tanks", "Financial Times", None, "according_to"),
    ("According to Russia's state-owned TASS news agency, 3,200 troops took part in the drill.",
     "3,200", "TASS", None, "according_to"),
    ("According to Reuters, which first reported the plans on Tuesday, about 1,750 positions are "
     "affected.",
     "1,750", "Reuters", None, "according_to"),
    ("The health board said in its annual report that waiting lists grew. About 7,400 patients waited "
     "more than a year, according to the report.",
     "7,400", "health board", None, "according_to"),
    ("The council said in its latest budget statement that spending will rise. Schools will get £84m, "
     "according to the statement.",
     "£84m", "council", None, "according_to"),
    ("Rents rose 4% last year, according to the water regulator's annual review. The 30-page review also "
     "found that 1,100 families had no supply.",
     "1,100", "water regulator", None, ANY),
    ("Western Bastion involves about 190 armoured vehicles, according to open-source analysts who "
     "tracked rail shipments.",
     "190", "open-source analysts", None, "according_to"),
    # a number-bearing phrase after the source is what it reports, not part of its name
    ("In Paris, 37,000 people marched, according to a count by the police headquarters, against 48,000 "
     "demonstrators last Saturday.",
     "48,000", "police headquarters", None, "according_to"),
    # 'based on' names a source only through data, a document or a reporter
    ("Based on the health department's monitoring, there are already 402,694 dengue cases nationwide.",
     "402,694", "health department", None, "according_to"),
    ("Based on current trends, the population will reach 12 million by 2040.",
     "12 million", DESK, None, "document_voice"),
    # an owner 'from' a place or cause is none: data from schools, the toll from a cyclone
    ("According to returns from schools, 1,240 schools were closed.", "1,240", DESK, None, "document_voice"),
    # data with an owner in their own phrase report their clause, whatever its verb
    ("The central government's death toll is at 47,700, but regional authorities gave higher figures.",
     "47,700", "central government", None, "according_to"),
    ("Estimates given by prisoners on the number of those killed ranged from 40 to 110.",
     "40 to 110", "prisoners", None, "according_to"),
    ("Earlier reports from the local Bakhtar News Agency spoke of 280 dead and 600 injured.",
     "280 dead", "Bakhtar News Agency", None, "according_to"),
    ("The figure came from the Red Crescent, whose previous estimate was that 500,000 were uprooted.",
     "500,000", "Red Crescent", None, ANY),
    ("The death toll from Cyclone Tarini rose to 52 on Saturday.", "52", DESK, None, "document_voice"),
    ("The official tally rose to 131 on Monday as authorities warned of yet another round of heavy rain.",
     "131", DESK, None, "document_voice"),
    # an adjective names no owner; data named again with the words they had when their owner was named
    ("The deficit more than doubled to £18.4bn in the year to March, official figures showed on Tuesday.",
     "£18.4bn", DESK, None, "document_voice"),
    ("Emissions fell 2% last year, according to provisional figures from the energy department. Provisional "
     "figures show net emissions of 531.8 million tonnes.",
     "531.8", "energy department", None, "reported_speech"),
    # the source's name as the text spells it
    ("According to the Relief Commissioner\u2019s office, six persons sustained serious injuries.",
     "six persons", "Relief Commissioner\u2019s office", None, "according_to"),
    # --- reporting verbs ----------------------------------------------------------------------
    ("Police said 11 people were arrested after the match.", "11 people", "Police", None, "reported_speech"),
    ("Eleven people were arrested after the match and 3 were charged, police said.",
     "3 were", "police", None, "reported_speech"),
    ("The ministry says 300 homes were damaged in the storm.", "300 homes", "ministry", None, ANY),
    ("The mayor told reporters that 40 buildings had collapsed.", "40 buildings", "mayor", None, ANY),
    ("The local news site Kama Today reported the same evening that 11 people had been taken to "
     "hospital.",
     "11 people", "Kama Today", None, ANY),
    ("Rescue workers noted that 14 bodies had been recovered from the rubble.",
     "14 bodies", "Rescue workers", None, ANY),
    ("About 300 armoured vehicles were deployed, the defence ministry added.",
     "300", "defence ministry", None, ANY),
    ("Organisers estimated that 60,000 people took part in the march.", "60,000", "Organisers", None, ANY),
    ("Police estimated the crowd at 18,000 on Saturday.", "18,000", "Police", None, ANY),
    ("The rebels claimed they had shot down 3 helicopters.", "3 helicopters", "rebels", None, ANY),
    ("The company announced 1,200 job cuts on Monday.", "1,200", "company", None, ANY),
    ("Hospital officials confirmed 38 deaths by Friday evening.",
     "38 deaths", "Hospital officials", None, ANY),
    ("Organisers put the figure at 60,000 and said coaches had come from Porto.",
     "60,000", "Organisers", None, ANY),
    ("Marzania's interior ministry puts the number of arrivals at 95,000.",
     "95,000", "Marzania's interior ministry", None, ANY),
    ("KP points out that at least 10,000 troops from Tajikistan took part.", "10,000", "KP", None, ANY),
    ("The ministry's figures show that 4,100 people crossed in August.", "4,100", "ministry", None, ANY),
    ("Figures from the coastguard show 412 people were rescued this year.", "412", "coastguard", None, ANY),
    ("Gerlach, which employs 14,300 people, said it would cut up to 1,800 jobs.",
     "1,800", "Gerlach", None, ANY),
    ("The figure of 3,200 troops was reported by TASS on Monday.", "3,200", "TASS", None, ANY),
    ("About 4,000 people were counted by organisers at the rally.", "4,000", "organisers", None, ANY),
    ("The ministry said in a statement that 7 people had been hospitalised.",
     "7 people", "ministry", None, ANY),
    ("A company spokesman told Reuters that 500 jobs would go.",
     "500 jobs", "company spokesman", "Reuters", ANY),
    ("Forecasters warned that up to 2,500 schools could close next week.", "2,500", "Forecasters", None, ANY),
    ("Lithuanian military intelligence estimates that 6,200 Russian troops are taking part.",
     "6,200", "Lithuanian military intelligence", None, ANY),
    ("Some 300 homes were damaged, as Reuters reported on Tuesday.", "300 homes", "Reuters", None, ANY),
    ("Some 1.2m children were vaccinated in the province, the health ministry said on Friday, about 94% "
     "of the target.",
     "94%", "health ministry", None, ANY),
    ("A crowd of 48,213 watched the match, and a police spokesman said 11 people were arrested.",
     "11 people", "police spokesman", None, ANY),
    ("More than half a million customers lost power, a spokeswoman for the network operator told "
     "reporters on Tuesday.",
     "half a million", "spokeswoman for the network operator", None, ANY),
    ("A second modelling firm, Meridian Analytics, put insured losses at $3.2bn.",
     "$3.2bn", "Meridian Analytics", None, ANY),
    ("Finance minister Claire Dubois told the legislature that health spending would reach $26.1bn.",
     "$26.1bn", "Claire Dubois", None, ANY),
    ("The state disaster authority put the toll at 52 and said 214 relief teams had been deployed.",
     "214", "state disaster authority", None, ANY),
    ("Reuters quoted the minister as saying that 300 people had died.",
     "300 people", "minister", "Reuters", ANY),
    ("The WHO said 37 people had died in the outbreak.", "37 people", "WHO", None, ANY),
    ("Police say 9 people were hurt in the crash.", "9 people", "Police", None, ANY),
    ("Analysts polled by FactSet had expected 455,000 deliveries.", "455,000", "Analysts", None, ANY),
    ("Smith, 54, who has run the company since 2015, said it would hire 300 engineers.",
     "300 engineers", "Smith", None, ANY),
    ("Smith, 54, who has run the company since 2015, said it would hire 300 engineers.",
     "54", DESK, None, "document_voice"),
    ("Sources close to the investigation told the Guardian that 5 of the suspects were minors.",
     "5 of", "Sources", "Guardian", ANY),
    ("Messaging service Brevo said on Monday that its users rose 10% to 50 million.",
     "50 million", "Brevo", None, ANY),
    ("Green Party candidate Lena Fox won the Ashby South seat with 14,220 votes, or 48.1%, the returning "
     "officer announced shortly after 03:00 on Friday.",
     "14,220 votes", "returning officer", None, ANY),
    ("The Liberal candidate took the seat with 21,004 votes, or 55%, the returning officer announced after "
     "midnight.",
     "21,004 votes", "returning officer", None, ANY),
    ("Prices rose 5.1% in May, the highest figure recorded since 2010.", "5.1%", DESK, None, "document_voice"),
    ("Police arrested 40 people, the largest number detained at a single protest.",
     "40 people", DESK, None, "document_voice"),
    # 'count on' does not report; 'counted 480,000 on its side' does
    ("The Ministry of the Interior has counted 480,000 on its side.",
     "480,000", "Ministry of the Interior", None, "reported_speech"),
    ("The CGT claimed 450,000 demonstrators in the street.", "450,000", "CGT", None, "reported_speech"),
    # a verb that reports its object needs a subject that can report it
    ("Commissioner Dev Sharma said the force had recorded 31,400 offences in 2024.",
     "31,400", "Dev Sharma", None, "reported_speech"),
    ("The lowest-scoring region, Upper Volta North, recorded a pass rate of 71.2%, up from 66%.",
     "71.2%", DESK, None, "document_voice"),
    ("India has reported 1,360 deaths in the part of Kashmir that it controls.",
     "1,360", "India", None, "reported_speech"),
    # the noun phrase right before the verb, where the parse gave it another subject
    ("Fresh clashes killed 11 people on Friday and a human rights group estimated that 34 civilians died in "
     "an air strike.",
     "34 civilians", "human rights group", None, "reported_speech"),
    ("There were 719 murders in the year to June, a 14 per cent increase from 630 a year earlier excluding "
     "attacks in London and Manchester, the Office for National Statistics (ONS) said.",
     "630", "Office for National Statistics", None, "reported_speech"),
    # a cue closing the sentence reports all of it
    ("Some 39,700 people reached Lorca by sea, and a further 8,500 crossed the land border, interior ministry "
     "figures show.",
     "39,700", "interior ministry figures", None, "reported_speech"),
    # a data object is the subject's account, unless the data have an owner of their own
    ("The Afghan defence ministry meanwhile gave yet another toll -- five civilians and 25 rebels dead.",
     "25 rebels", "Afghan defence ministry", None, "reported_speech"),
    ("Governor Roy Cooper raised the death toll in his state to 17 on Monday.",
     "17", "Roy Cooper", None, "reported_speech"),
    ("Savra's agriculture ministry on Wednesday cut its forecast for this year's wheat crop to 78 million "
     "tonnes.",
     "78 million", "Savra's agriculture ministry", None, "reported_speech"),
    ("The Social Affairs Ministry has been keeping a count that on Wednesday stood at 114,978 dead.",
     "114,978", "Social Affairs Ministry", None, "reported_speech"),
    ("Rebels disputed the police figure of 18,000 marchers.", "18,000", DESK, None, "document_voice"),
    # a participle on a noun has the noun say it, a document its owner
    ("He cited a letter from the governor saying 40 people died.", "40 people", "governor", None, ANY),
    ("Reporters met a witness saying 30 people were trapped.", "30 people", "witness", None, ANY),
    # --- several cues in one sentence -----------------------------------------------------------
    ("At least 27 people died when the ferry capsized, the coastguard said, while 86 people had been "
     "rescued.",
     "86 people", "coastguard", None, ANY),
    ("More than 40 passengers were taken to hospital, the fire service said, and the health authority "
     "later put the number at 43.",
     "40 passengers", "fire service", None, ANY),
    ("More than 40 passengers were taken to hospital, the fire service said, and the health authority "
     "later put the number at 43.",
     "43", "health authority", None, ANY),
    ("Activists blocked the motorway for six hours, and police said 212 people were arrested.",
     "six hours", DESK, None, "document_voice"),
    ("Activists blocked the motorway for six hours, and police said 212 people were arrested.",
     "212", "police", None, ANY),
    ("KP reported that TASS said 3,200 troops took part in the drill.", "3,200", "TASS", "KP", ANY),
    ("Orders fell 12% to 3,400 units, the company said, and now account for 9% of sales.",
     "9%", "company", None, ANY),
    ("Activists blocked the road for an hour, police said, and officers later arrested 40 people.",
     "40 people", DESK, None, "document_voice"),
    ("Norrland Bank said profit rose 8%. Chief executive Anna Kova told analysts the bank expected profit "
     "of $2.1bn next year.",
     "$2.1bn", "Anna Kova", None, ANY),
    ("The minister said analysts expected growth of 2%.", "2%", "analysts", "minister", ANY),
    # two sources in one sentence: a clause whose verb is left out, phrases paired with their figures
    ("In Rennes, the unions counted 20,000 demonstrators and the prefecture 8,500.",
     "8,500", "prefecture", None, "according_to"),
    ("In Rennes, the unions counted 20,000 demonstrators and the prefecture 8,500.",
     "20,000", "unions", None, "reported_speech"),
    ("Nearly 2 million people demonstrated, according to the General Confederation of Labor (CGT), and "
     "570,000 for the Ministry of the Interior.",
     "570,000", "Ministry of the Interior", None, "according_to"),
    ("In Paris, turnout was 37,000 according to police, 450,000 demonstrators according to the CGT.",
     "37,000", "police", None, "according_to"),
    ("In Paris, turnout was 37,000 according to police, 450,000 demonstrators according to the CGT.",
     "450,000", "CGT", None, "according_to"),
    ("According to police, 37,000 marched; according to the CGT, 450,000 did.", "450,000", "CGT", None,
     "according_to"),
    # --- quotes ---------------------------------------------------------------------------------
    ('"The exercise involves 36 warships and support vessels," TASS noted, citing the press service.',
     "36 warships", "TASS", None, "quote"),
    ("KP reveals, “the drills involved 4,000 troops and 300 vehicles.”", "4,000", "KP", None, "quote"),
    ("“The drills completed a six-day exercise which began on July 9. According to earlier reports, the "
     "exercise involved over 3,200 personnel. Russian troops will stay at least until 2042,” TASS noted "
     "on July 15.",
     "3,200 personnel", "TASS", None, "quote"),
    ("“We have sent 500 doctors to the region.\n“A further 200 nurses will follow next week,” the "
     "health minister said.",
     "500 doctors", "health minister", None, "quote"),
    ("“Seven people have been hospitalised,” the ministry said, “and 2 of them are in a serious "
     "condition.”",
     "2 of them", "ministry", None, "quote"),
    ("“We counted 120 boats,” the coastguard said. “Another 30 are still missing.”",
     "30 are", "coastguard", None, "quote"),
    ('"We expect 5,000 visitors," said Anna Berg, the festival director.',
     "5,000", "Anna Berg", None, "quote"),
    ('"We estimate that 5,000 people attended," the organisers said.', "5,000", "organisers", None, "quote"),
    ('"According to the ministry, 3,200 troops took part," TASS noted.', "3,200", "ministry", "TASS", ANY),
    ('The minister said: "We have deployed 3,000 troops. They will stay for at least 6 months."',
     "6 months", "minister", None, "quote"),
    ('"Our estimate is that 12,000 homes are without water," said Mark Hill, a spokesman for Severn '
     "Water.",
     "12,000", "Mark Hill", None, "quote"),
    ('Mark Hill, a spokesman for Severn Water, said supply was cut.\n\n"We hope to reconnect 8,000 '
     'homes by tonight."',
     "8,000", "Mark Hill", None, "quote"),
    ('"We lost 40 cattle in one night," farmer Tom Reed told the BBC.',
     "40 cattle", "Tom Reed", "BBC", "quote"),
    ("Dr Omar Reyes told the station the pressure was “the worst I have seen in 30 years”.",
     "30 years", "Omar Reyes", None, ANY),
    # a quote opening the sentence after an according-to statement is that source's
    ("According to the railway spokesman, relief work is over. \"Eighty per cent of passengers have left.\"",
     "Eighty per cent", "railway spokesman", None, "quote"),
    # --- descriptions and pronouns -----------------------------------------------------------
    ("Omar Reyes runs the regional hospital. He said 12 operating theatres would open next year.",
     "12 operating", "Omar Reyes", None, ANY),
    ("The UN refugee agency said 62,000 people had crossed. The agency counted 38,000 arrivals a week "
     "earlier.",
     "38,000", "UN refugee agency", None, ANY),
    ("The Belarusian defence ministry said 8,500 troops were involved. The ministry added that 40 "
     "aircraft would take part.",
     "40 aircraft", "Belarusian defence ministry", None, ANY),
    ("Halvorsen Motors said revenue rose to $2.1bn. Europe accounted for 58% of revenue, the company "
     "said.",
     "58%", "Halvorsen Motors", None, ANY),
    # two names the tagger ran into one are kept apart by the parse: the speaker is the person, whom 'he'
    # finds, not another person named before
    ("The People's Alliance led by President Recep Tayyip Erdogan's party has won 323 seats, President of "
     "the Supreme Election Council Ahmet Yener said on Tuesday. \"The Justice and Development Party gets "
     "268 seats,\" he told the local television.",
     "323 seats", "Ahmet Yener", None, ANY),
    ("The People's Alliance led by President Recep Tayyip Erdogan's party has won 323 seats, President of "
     "the Supreme Election Council Ahmet Yener said on Tuesday. \"The Justice and Development Party gets "
     "268 seats,\" he told the local television.",
     "268 seats", "Ahmet Yener", None, ANY),
    # an outlet described is one that reported before, not a club that was merely named
    ("It was Harwell's fourth defeat in a final. The match drew an audience of 9.4 million, the "
     "broadcaster said.",
     "9.4 million", "broadcaster", None, ANY),
    ("The BBC reported that 40 people died. Another 12 are missing, the broadcaster said.",
     "12", "BBC", None, ANY),
    ("Losses will be about $3bn, catastrophe modelling firm Coastline Risk said. Total losses could "
     "reach $9bn, the firm said.",
     "$9bn", "Coastline Risk", None, ANY),
    ("The regional network operator said 480,000 homes lost power. By Tuesday, supply had been restored "
     "to 310,000 customers, it said.",
     "310,000", "regional network operator", None, ANY),
    ("The air component has 28 aircraft, according to open-source analysts. The analysts said 12 "
     "helicopters were also seen.",
     "12 helicopters", "open-source analysts", None, ANY),
    ("Chief executive Klaus Brandt visited the plant on Monday. He said 300 jobs would go.",
     "300 jobs", "Klaus Brandt", None, ANY),
    ("Tesla delivered 435,000 vehicles. Analysts had forecast 455,000. The company said output would "
     "rise to 2 million.",
     "2 million", "Tesla", None, ANY),
    ("Unemployment fell to 4.1%, the Office for National Statistics (ONS) said. The ONS said 33.1 "
     "million people were in work.",
     "33.1 million", "Office for National Statistics", None, ANY),
    ("Knitwear maker Harlow Bennett will close its mill in Selby, cutting 420 jobs, the company said on "
     "Tuesday.",
     "420 jobs", "Harlow Bennett", None, ANY),
    ("Footwear maker Colin Marsh will shut its factory, cutting 210 jobs, the company said.",
     "210 jobs", "Colin Marsh", None, ANY),
    ("Selwyn's output rose to 4 million tonnes last year, the company said.", "4 million", "Selwyn", None, ANY),
    ("Marden's revenue fell to $1.2bn in the year, the company said.", "$1.2bn", "Marden", None, ANY),
    ("Kessler's profit rose 9% to $80m, the company said on Friday.", "$80m", "Kessler", None, ANY),
    # a definite noun with describing words refers back; 'the news agency' too
    ("Nordvik Line said net profit doubled. Revenue rose 18% to $3.41bn, the Copenhagen-based company said.",
     "$3.41bn", "Nordvik Line", None, ANY),
    ("Associated Press has used the ministry's count for its tally. The news agency gives a combined death "
     "toll of at least 162,228.",
     "162,228", "Associated Press", None, ANY),
    ("The National Coordination Agency for Disaster Relief gave an even lower number. Associated Press has "
     "used the ministry's count. The news agency gives a combined toll of at least 162,228.",
     "162,228", "Associated Press", None, ANY),
    # the latest source or subject of a fitting kind, not the latest source only
    ("The army said 14 rebels were killed. The Free Highlands Front gave a very different account. In a "
     "statement, the group said three of its men had been killed.",
     "three", "Free Highlands Front", None, ANY),
    ("The port authority put the number of strikers much lower. It said 2,100 of its 3,400 employees had "
     "stayed away.",
     "2,100", "port authority", None, ANY),
    # 'he' is the lone name that spoke last, whatever the tagger called it, before a name in an object
    ("Charron said the riot was over food. He also said only 17 of the 1,100 prisoners had been convicted.",
     "1,100", "Charron", None, ANY),
    ("Yenar said the commission had sent the results to the Official Gazette.\n\nHe explained that turnout "
     "reached 88.92% inside the country.",
     "88.92%", "Yenar", None, ANY),
    # "the company" for the sentence's own subject, whatever the tagger called it
    ("Ardena Mining produced 174,500 tonnes of copper in the quarter, the company said. The Lima-listed miner "
     "kept its forecast of 680,000 tonnes.",
     "680,000", "Ardena Mining", None, ANY),
    # an indefinite source is someone, not the fuller form met later
    ("Nine passengers were killed, an official said. \"Two coaches overturned,\" a railway official told "
     "reporters.",
     "Nine", "official", None, "reported_speech"),
    # --- one spelling per source ------------------------------------------------------------------
    ("Khaama Press (KP) reported the drills on Thursday. KP points out that 10,000 troops took part.",
     "10,000", "Khaama Press", None, ANY),
    ("Burglaries fell to 3,212, according to Kellwood Police. Police said 64 new officers had joined.",
     "64", "Kellwood Police", None, ANY),
    ("Finance minister Claire Dubois said spending would reach $26bn. Dubois said 1,200 teachers would "
     "be hired.",
     "1,200", "Claire Dubois", None, ANY),
    ("Software maker Lumora said revenue rose 25%. Founder Nils Arden said he expected 600 hires.",
     "600", "Nils Arden", None, ANY),
    ("Mayor Ines Vidal said 45 buses would be replaced.", "45 buses", "Ines Vidal", None, ANY),
    ("Bank Negara said reserves rose to $110bn.", "$110bn", "Bank Negara", None, ANY),
    ("Almost 62,000 people have crossed, the UN refugee agency said. About 80% are women, the agency "
     "said.",
     "80%", "UN refugee agency", None, ANY),
    # --- continuation -----------------------------------------------------------------------------
    ("Police said 11 people were arrested. Two of them were charged.", "Two", "Police", None, ANY),
    ("Police said 212 people were arrested. Of those, 37 were charged on Sunday.", "37", "Police", None, ANY),
    ("Officials said 1,450 boats had not returned. The figure includes 300 trawlers.",
     "300 trawlers", "Officials", None, ANY),
    ("The airport operator said passengers rose to 3.9 million. It now handles 140 flights a day.",
     "140", "airport operator", None, ANY),
    ("Police said 11 people were arrested.\n\nTwo of them were charged on Sunday.", "Two", "Police", None, ANY),
    ("Police said 11 people were arrested.\n\nIt was the third derby this season, watched by 52,000 fans.",
     "52,000", DESK, None, "document_voice"),
    ("Police said 11 people were arrested. The stadium holds 52,000 fans.",
     "52,000", DESK, None, "document_voice"),
    ("Police said 11 people were arrested.\n\nThe match drew a crowd of 48,000.",
     "48,000", DESK, None, "document_voice"),
    ("Kelvin Foods said on Monday it is recalling 80,000 jars of sauce. The recall covers jars sold in 12 "
     "countries.",
     "12 countries", "Kelvin Foods", None, ANY),
    ("Police said 11 people were arrested. The arrests followed clashes involving 200 fans.",
     "200 fans", "Police", None, ANY),
    ("Police said 11 people were arrested after the match. The match drew 48,000 fans.",
     "48,000", DESK, None, "document_voice"),
    ("The ministry said it would cut 2,000 jobs.\n\nThe cuts will save $40m a year.",
     "$40m", DESK, None, "document_voice"),
    ("Interfax said the fire broke out at dawn. The refinery processes about 7 million tonnes of crude "
     "a year.",
     "7 million", DESK, None, "document_voice"),
    # --- numbers no source reports ------------------------------------------------------------
    ("TASS has 4,000 employees in 60 countries.", "4,000", DESK, None, "document_voice"),
    ("Gerlach, which employs 14,300 people worldwide, reported a 9% fall in orders.",
     "14,300", DESK, None, "document_voice"),
    ("Gerlach, which employs 14,300 people worldwide, reported a 9% fall in orders.",
     "9%", "Gerlach", None, ANY),
    ("The Teachers' Federation, which represents 14,800 teachers, said more money was needed.",
     "14,800", DESK, None, "document_voice"),
    ("The waiting list stood at 41,326 in June, figures published on Thursday showed.",
     "41,326", DESK, None, "document_voice"),
    ("Port Aldren now has roughly 1.2 million people, according to the first census results.",
     "1.2 million", DESK, None, "document_voice"),
    ("According to earlier reports, the exercise involved 3,200 personnel.",
     "3,200", DESK, None, "document_voice"),
    ("By Monday the death toll had risen to 31, AFP reported, citing rescue officials.",
     "31", "AFP", None, ANY),
    ("Dharwa added about 1.2 gigawatts of solar power last year.",
     "1.2 gigawatts", DESK, None, "document_voice"),
    ("The government is also counting on potash royalties of $3.9bn.",
     "$3.9bn", DESK, None, "document_voice"),
    ("Television footage showed 40 huts without roofs.", "40 huts", DESK, None, "document_voice"),
    ("Some 241 passengers reported symptoms of flu during the voyage, along with 38 crew members, the ship's "
     "doctor said.",
     "38 crew", "ship's doctor", None, ANY),
    ("The town's 14 pharmacies recorded 9,200 prescriptions in May.", "9,200", DESK, None, "document_voice"),
    ("Two analysts forecast growth of 3%.", "3%", "Two analysts", None, ANY),
    ("Investigators found 1,800 kilograms of cocaine in the container.",
     "1,800", DESK, None, "document_voice"),
    ("G20 finance ministers are expected to discuss the crisis, and 14 donors have pledged money.",
     "14 donors", DESK, None, "document_voice"),
    ("Between 400 and 500 of our members took part in the occupation.", "400", DESK, None, "document_voice"),
    ("The bridge had been rated in “poor” condition at its last inspection of 12 spans.",
     "12 spans", DESK, None, "document_voice"),
    # the phrase before the verb where the parse lost its subject: after "but", an apposition, an age
    ("There was no official report on the number of dead but state lawmaker Geraldo Moreira said the toll "
     "could be as high as 50.",
     "50", "Geraldo Moreira", None, "reported_speech"),
    ("The military said it was \"looking into\" reports of casualties but the governor of the province, "
     "Asadullah Khalid, confirmed that 16 civilians were killed.",
     "16 civilians", "Asadullah Khalid", None, "reported_speech"),
    ("Waiting times halved to 14 hours after the new berth opened in April, chief executive Mats Erlandsen, "
     "61, told reporters.",
     "14 hours", "Mats Erlandsen", None, "reported_speech"),
    ("The slide swept about 800 metres down the valley, regional governor Tomas Halbek told reporters at the "
     "scene.",
     "800", "Tomas Halbek", None, "reported_speech"),
    # a number as subject reports nothing; a date after the verb is when, not what it reports
    ("Hospitals admitted 1,437 people with heat-related illness in the week, the regional health agency said "
     "on Monday, more than double the 612 admitted the previous week.",
     "1,437", "regional health agency", None, "reported_speech"),
    ("Priya Shah won the by-election with 52% of the vote, the returning officer announced at 01:45 on "
     "Friday.",
     "52%", "returning officer", None, "reported_speech"),
    # a cue whose report follows it does not reach back over a semicolon; one that ends it does
    ("The authority can fine companies up to 4% of their turnover; Meridia reported revenue of €1.9bn last "
     "year.",
     "4%", DESK, None, "document_voice"),
    ("Eleven people were arrested; 3 were charged, police said.", "Eleven", "police", None, "reported_speech"),
    # a bare number as the object of a speech verb is a claim
    ("Ostreva says more than 8,000 of its citizens are still held in Kalvar.",
     "8,000", "Ostreva", None, "reported_speech"),
    ("The official numbers as provided by the deputy minister speak of 920 dead and 620 injured.",
     "620", "deputy minister", None, "according_to"),
    # a part of what the account counted, named with its definite noun, continues it
    ("Drug overdose deaths fell to 1,284 in 2024, the state health department said. Fentanyl was involved in "
     "902 of the deaths.",
     "902", "state health department", None, ANY),
    ("The population of the camp reached 112,400, the UN refugee agency said. Children make up 58% of the "
     "camp's residents.",
     "58%", "UN refugee agency", None, ANY),
    # a subject that refers back to the account's source, in its paragraph, continues it
    ("About 12,500 people were evacuated after the volcano erupted, the national disaster agency said. The "
     "agency raised its alert and ordered everyone within 8 km of the crater to leave.",
     "8 km", "national disaster agency", None, ANY),
    ("About 12,500 people were evacuated after the volcano erupted, the national disaster agency said.\n\nThe "
     "agency has a staff of 300.",
     "300", DESK, None, "document_voice"),
]



# Rows whose attribution reads the passage's other figures or what extraction found about them:
# the passage, its figures as (text, dimension, what it counts or None), the figure to check and
# the source it must get.
WITH_FIGURES: list[tuple[str, list[tuple[str, str, str | None]], str, str]] = [
    # a measure joined to the noun it describes is the writer's description
    ("The 480-mile Varna has lost most of its migratory fish since the first dams were built, campaigners "
     "said.",
     [("480-mile", "length", None)], "480-mile", DESK),
    ("The coastguard said that about 400 cubic metres of fuel had escaped from the grounded 620-foot tanker.",
     [("400 cubic metres", "volume", "fuel"), ("620-foot", "length", None)], "620-foot", DESK),
    ("The coastguard said that about 400 cubic metres of fuel had escaped from the grounded 620-foot tanker.",
     [("400 cubic metres", "volume", "fuel"), ("620-foot", "length", None)], "400 cubic metres", "coastguard"),
    ("The Department of Health said there were 402,694 cases, a 92-percent increase.",
     [("402,694 cases", "count", "cases"), ("92-percent", "percent", None)], "92-percent",
     "Department of Health"),
    # coordinated sources paired with coordinated figures
    ("In Sri Lanka, the Public Security Ministry and National Disaster Management Center have reported tolls "
     "of 38,195 and 30,920, respectively.",
     [("38,195", "count", "deaths"), ("30,920", "count", "deaths")], "38,195", "Public Security Ministry"),
    ("In Sri Lanka, the Public Security Ministry and National Disaster Management Center have reported tolls "
     "of 38,195 and 30,920, respectively.",
     [("38,195", "count", "deaths"), ("30,920", "count", "deaths")], "30,920",
     "National Disaster Management Center"),
    ("Police and organisers put the crowd at 18,000 and 60,000 respectively.",
     [("18,000", "count", "people"), ("60,000", "count", "people")], "60,000", "organisers"),
    # without "respectively" nothing pairs them
    ("Police and organisers put the crowd at 18,000 and 60,000.",
     [("18,000", "count", "people"), ("60,000", "count", "people")], "60,000", "Police"),
    # in the same paragraph, a sentence with no source of its own that counts what the account counted
    ("The enemy launched 56 drones at the city overnight, the air force said. Air defences brought down 48 "
     "drones.",
     [("56 drones", "count", "aircraft"), ("48 drones", "count", "aircraft")], "48 drones", "air force"),
    ("The enemy launched 56 drones at the city overnight, the air force said.\n\nAir defences brought down "
     "48 drones.",
     [("56 drones", "count", "aircraft"), ("48 drones", "count", "aircraft")], "48 drones", DESK),
    ("The food bank handed out 61,000 parcels last year, the charity said. The busiest branch handed out "
     "9,800 parcels, and its coordinator said demand peaks in January.",
     [("61,000 parcels", "count", "parcel"), ("9,800 parcels", "count", "parcel")], "9,800 parcels", DESK),
    ("Nurses began a strike over pay, the regional health authority said. The union, which represents about "
     "11,000 nurses, is demanding a rise.",
     [("about 11,000 nurses", "count", "nurses")], "about 11,000 nurses", DESK),
]
# fmt: on


@pytest.mark.parametrize(("passage", "figures", "target", "source"), WITH_FIGURES)
def test_source_with_the_other_figures(
    passage: str, figures: list[tuple[str, str, str | None]], target: str, source: str, rules: RuleSet, nlp: Language
) -> None:
    [parsed] = read([Document(id="d", text=passage, source=DESK)], nlp)
    placed = [
        _figure(parsed, text, f"f{n}", dimension=dimension, concept=concept)
        for n, (text, dimension, concept) in enumerate(figures)
    ]
    out = {f.text: f for f in attribute([parsed], placed, rules)}
    assert out[target].source == source


def _figure(
    parsed: ParsedDocument,
    text: str,
    figure_id: str = "f1",
    dimension: str = "count",
    concept: str | None = None,
) -> Figure:
    """A figure placed where `text` first stands in the document, in the sentence holding it,
    counting `concept` when one is given."""
    at = parsed.text.find(text)
    assert at >= 0, f"{text!r} is not in the passage"
    sentence = max(s.index for s in parsed.sentences if s.start <= at)
    frame = Frame(family=dimension, head=concept, concept=concept) if concept else None
    return Figure(
        id=figure_id, document_id=parsed.document.id, start=at, end=at + len(text), text=text,
        value=1, low=1, high=1, dimension=dimension, sentence=sentence, frame=frame,
    )  # fmt: skip


def _attribute(passage: str, text: str, rules: RuleSet, nlp: Language) -> Figure:
    [parsed] = read([Document(id="d", text=passage, source=DESK)], nlp)
    [out] = attribute([parsed], [_figure(parsed, text)], rules)
    return out


@pytest.mark.parametrize(("passage", "text", "source", "via", "kind"), CASES)
def test_source_of_figure(
    passage: str, text: str, source: str, via: object, kind: object, rules: RuleSet, nlp: Language
) -> None:
    """The figure gets the source the text presents as reporting it, and the way it says so."""
    figure = _attribute(passage, text, rules, nlp)
    assert figure.attribution is not None
    assert (figure.source, figure.attribution.via) == (source, via)
    assert figure.attribution.source == figure.source
    if kind is not ANY:
        assert figure.attribution.kind == kind


def test_table_is_large_enough() -> None:
    """The table covers every cue with room to spare."""
    assert len(CASES) >= 60


def test_cue_offsets_point_at_the_cue(rules: RuleSet, nlp: Language) -> None:
    """cue_start/cue_end index the document's text and cover the cue words."""
    passage = "About 300 vehicles were deployed, the defence ministry said on Friday."
    att = _attribute(passage, "300", rules, nlp).attribution
    assert att is not None and att.cue_start is not None and att.cue_end is not None
    assert passage[att.cue_start : att.cue_end] == att.cue == "said"


def test_according_to_cue_covers_the_phrase(rules: RuleSet, nlp: Language) -> None:
    """The cue of an according-to attribution is the whole phrase."""
    passage = "Nine people died, according to the coastguard."
    att = _attribute(passage, "Nine", rules, nlp).attribution
    assert att is not None and att.cue_start is not None and att.cue_end is not None
    assert passage[att.cue_start : att.cue_end] == "according to"


def test_document_voice_has_no_cue(rules: RuleSet, nlp: Language) -> None:
    """A figure in the document's own voice carries the document's source and no cue."""
    att = _attribute("The bridge is 410 metres long.", "410", rules, nlp).attribution
    assert att == Attribution(source=DESK, kind="document_voice")


def test_document_without_source_gives_none(rules: RuleSet, nlp: Language) -> None:
    """A figure in the voice of a document sent without `source` has no source."""
    [parsed] = read([Document(id="d", text="The bridge is 410 metres long.")], nlp)
    [out] = attribute([parsed], [_figure(parsed, "410")], rules)
    assert out.source is None and out.attribution is not None and out.attribution.kind == "document_voice"


def test_order_and_identity_kept(rules: RuleSet, nlp: Language) -> None:
    """The stage returns the same figures, in the same order, changing only source and attribution."""
    text = "Police said 11 people were arrested. The stadium holds 52,000 fans."
    [parsed] = read([Document(id="d", text=text, source=DESK)], nlp)
    figures = [_figure(parsed, "52,000", "f2"), _figure(parsed, "11", "f1")]
    out = attribute([parsed], figures, rules)
    assert [f.id for f in out] == ["f2", "f1"]
    assert [f.source for f in out] == [DESK, "Police"]
    for before, after in zip(figures, out, strict=True):
        changed = {"source", "attribution"}
        assert before.model_dump(exclude=changed) == after.model_dump(exclude=changed)


def test_figures_of_several_documents(rules: RuleSet, nlp: Language) -> None:
    """Each figure is read in its own document, whose voice is its own source."""
    docs = [
        Document(id="a", text="Police said 11 people were arrested.", source="Wire A"),
        Document(id="b", text="Eleven people were arrested on Sunday.", source="Wire B"),
    ]
    a, b = read(docs, nlp)
    out = attribute([a, b], [_figure(a, "11", "f1"), _figure(b, "Eleven", "f2")], rules)
    assert [f.source for f in out] == ["Police", "Wire B"]


def test_quote_spans_several_paragraphs() -> None:
    """A paragraph that opens with a quote mark and does not close it continues into the next one."""
    text = '"First part, 500 doctors.\n"Second part," she said. Then "a short one" here.'
    quotes = find_quotes(text)
    assert len(quotes) == 2
    first = quotes[0]
    assert first.closed and len(first.segments) == 2
    assert first.contains(text.index("500")) and first.contains(text.index("Second"))
    assert not first.contains(text.index("she"))
    assert quotes[1].contains(text.index("short"))


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    """A quote left open by a paragraph that the next one does not continue ends there."""
    text = 'He said "it was 12 metres.\nThe next paragraph has 30 boats.'
    [quote] = find_quotes(text)
    assert not quote.closed
    assert quote.contains(text.index("12")) and not quote.contains(text.index("30"))


def test_inch_marks_are_not_quotes() -> None:
    """A double prime after a digit is a measure, not a quotation mark."""
    assert find_quotes('A 12" pipe burst and a 6" valve failed.') == []
