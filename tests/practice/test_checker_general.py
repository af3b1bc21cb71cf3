"""The checker's rules from the blind_c and blind_d round (issue 16), on lines written for these tests
(not the batches' own): checks of understanding, summaries ending "Anything else?" and consent to pause
are good practice; a scale anchored with 10 at the bad end runs the wrong way; normalising, reassurance
and "put that down as met" are minimising; labels and problems taken as given are deficit. The learned
codes are off here (tests/practice/test_learned.py covers them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import bot.practice.checker as checker_module
from bot.practice.checker import check_question
from bot.practice.clauses import normal
from bot.practice.forms import shape_of
from bot.practice.learned import CodeModel


@pytest.fixture(autouse=True)
def rules_alone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(checker_module, "shipped_code_model", lambda: CodeModel(None))
    checker_module._check.cache_clear()
    checker_module._codes_of.cache_clear()
    yield
    checker_module._check.cache_clear()
    checker_module._codes_of.cache_clear()


@pytest.mark.parametrize(("text", "form"), [
    ("Have I got your address right - is it 14 Park Road?", "question"),
    ("Did I hear you right that the mornings are hardest?", "question"),
    ("So we've covered the stairs, the nights and your work. Anything else you'd like to add?", "summary"),
    ("Would it help if we took a short break?", "consent"),
    ("I'd like to talk about money next - is that okay?", "consent"),
    ("Would you rather your son was here while we talk?", "consent"),
    ("Would you mind if we talked about your own sleep now, rather than your husband's?", "consent"),
    ("It's up to you whether your daughter joins us.", "statement"),
    ("If anything changes, you can call the duty team.", "statement"),
    ("It's your decision whether we involve your family.", "statement"),
    ("Your neighbour sounds like a good friend to you.", "reflection"),
    ("Shall I go through what happens next?", "consent"),
    ("Do you want to carry on, or have you had enough for today?", "consent"),
    ("Is that every night or just some nights?", "question"),
    ("Do you ever feel you can't go on?", "question"),
    ("Is he ever rough with you?", "question"),
    ("Sorry, did you say Wednesday or Thursday?", "question"),
    ("Just to confirm, you're happy for me to share this with your daughter?", "question"),
    ("Anything you tell me stays confidential unless someone is at risk.", "statement"),
    ("If you're not happy with the service, you can complain to the council.", "statement"),
    ("The council may ask you to contribute towards the cost.", "statement"),
    ("Mornings are when the pain is worst.", "reflection"),
    ("Can I just read back what I've written?", "consent"),
    ("Do you want your daughter in the room for this part?", "consent"),
    ("When you say you're fine, what does fine look like for you?", "question"),
    ("So, the bathing, the shopping and the nights - have I missed anything?", "summary"),
    ("Just so I'm clear, is it your left hip or your right?", "question"),
    ("Just to check, do you still drive?", "question"),
    ("I'm going to ask some questions about your health now - is that okay?", "consent"),
    ("So caring for your mum is something you want to keep doing, but not every night.", "reflection"),
    # the blind_f round: a lead-in before a willing-and-able question is not a tag, equipment and fire
    # safety, "how long were you...", "With your permission", a summary ending "About right?"
    ("Given how tired you are, would you still want to carry on looking after him?", "question"),
    ("After everything this year, are you still willing to be your dad's main carer?", "question"),
    ("Can he reach the call bell from his chair?", "question"),
    ("Do you have a working carbon monoxide alarm?", "question"),
    ("Could you get yourself out of the house if there was a fire at night?", "question"),
    ("How long were you waiting for the ambulance?", "question"),
    ("With your permission, I'd like to ring your GP about the tablets. Is that okay?", "consent"),
    ("Let me play that back. Mornings are slow, afternoons are better, the garden keeps you going, "
     "and the nights are when you feel most alone. About right?", "summary"),
    ("You'd rather your daughter wasn't the one who has to help you bathe.", "reflection"),
    # the blind_g round: a willing question that offers the other choice, consent asked after the plan,
    # "how long can", "when did you last", somewhere safe, a plan if the carer is ill, offering a break
    ("Are you happy to keep doing his feeds at night, or would you rather someone else took that on?", "question"),
    ("Are you willing to keep managing her money for her?", "question"),
    ("I'd like to talk about your work next. Is that okay?", "consent"),
    ("Your brother wants to sit in while we talk. Are you comfortable with that?", "consent"),
    ("How long can you stand at the cooker before your back goes?", "question"),
    ("When did you last have a day to yourself?", "question"),
    ("Is there somewhere safe you could go if it happened again?", "question"),
    ("Is there a plan for who looks after Josh if you're taken into hospital?", "question"),
    ("Would you like a short break before we go on?", "consent"),
    # the blind_h and blind_i rounds: a check that names the person, two plain sentences of consent, a
    # long summary, consent to meet alone, fire and feeling unsafe, keeping up the caring
    ("So the stairs worry you most, and you'd like your own bed back. Is that right, Mr Okafor?", "summary"),
    ("I'd like to let your GP know how things are at home so they can help. Would you be happy for me to do "
     "that?", "consent"),
    ("Would you like to talk on your own, without your son in the room?", "consent"),
    ("If the smoke alarm went off at night, would you know how to get out?", "question"),
    ("Do you ever feel unsafe when he's been drinking?", "question"),
    ("Are you able to keep up this much caring with your own health as it is?", "question"),
    ("Tell me about caring for your dad, the bits you enjoy and the bits that take it out of you.", "question"),
    ("Would you like us to book an interpreter, rather than your daughter translating?", "consent"),
    # the blind_j round: checks with a tail ("for you?"), safety at home, medication and equipment,
    # willing to carry on with a task or to stay the emergency contact, a PA is the person's own word
    ("So it's the stairs, the post and Sundays. Have I got them in the right order for you?", "summary"),
    ("Is anyone at home hurting you?", "question"),
    ("Have you been able to take your insulin since you came home?", "question"),
    ("Is the stairlift still being serviced?", "question"),
    ("Are you willing to carry on with the night feeds?", "question"),
    ("Are you happy to stay the emergency contact for the agency?", "question"),
    ("Can I put you on speaker while I write this down?", "consent"),
    ("So your PA is the best thing about your week at the moment.", "reflection"),
    # the blind_k round: a summary for everyone round the table, parking a topic, heating, weapons, an alarm
    # worn, reaching a switch
    ("So from what you've both said, the mornings are the worry and the afternoons are fine. Does that sound "
     "fair to everyone?", "summary"),
    ("Can we leave the money side until next time?", "consent"),
    ("Is the heating working at the moment?", "question"),
    ("Are there any guns kept in the house?", "question"),
    ("Is he wearing his pendant alarm at night?", "question"),
    ("Can you reach the phone from your chair?", "question"),
    # the blind_l round: someone staying in the room, typing as we go, keys, pressure about money, food
    # today, a scale whose ends are said with "meaning", a scale whose 0 names the problem
    ("Are you okay with your son staying while we talk?", "consent"),
    ("Can I type your answers in as we go?", "consent"),
    ("Does anyone else have a key to the house?", "question"),
    ("Is anyone putting pressure on you to lend them money?", "question"),
    ("Have you had anything to eat today?", "question"),
    ("On a scale from 0, meaning no say at all, to 10, meaning fully in charge, how much say do you have?",
     "question"),
    ("If 0 means the pain stops you doing anything and 10 means it never gets in your way, where is it today?",
     "question"),
    # the labelling guide (docs/question-labelling.md): a choice or a right offered, a plain fact needed,
    # medication taken, an appliance working, a topic left for later, a summary of what was talked about,
    # family being family, a wish with its limits
    ("Would you rather have a male carer for the mornings?", "question"),
    ("Would you like your own carer's assessment, separate from Dad's?", "question"),
    ("Does anyone else live here with you?", "question"),
    ("Is there anybody else you care for?", "question"),
    ("Have you missed any of your tablets this week?", "question"),
    ("Have you eaten a hot meal since Sunday?", "question"),
    ("Is the fridge working again?", "question"),
    ("Would it be easier to leave the bills until Thursday?", "consent"),
    ("So far we've covered your mornings, the stairs and the bus. Is there anything else you'd like to add?",
     "summary"),
    ("You'd rather your daughter could just be your daughter.", "reflection"),
    ("You'd love to get back to swimming, even if it's only now and then.", "reflection"),
    ("What was your week like before the sleep problems started?", "question"),
    ("Doing your GCSEs while looking after your mum is a lot to carry.", "reflection"),
    ("Do you need to take a couple of minutes?", "consent"),
    ("Are you still able to handle her evening routine, with your back as it is?", "question"),
    ("Have you got working smoke alarms in the hall?", "question"),
    ("Does anyone else stay in the bungalow?", "question"),
    ("Is there anybody else in the house who needs your help?", "question"),
    # after batches P and Q: short checks ending a summary, a plan then "Would that suit you?", a break
    # offered, times offered, a right then "Would you like one?", "or should we look at other help?"
    ("So the stairs are harder, your wife's tired, and you'd like to keep driving. What else?", "summary"),
    ("Let me pull that together: the bills worry you, the bus is hard, and you miss your friends. What have I "
     "left out?", "summary"),
    ("So the mornings are hard, the bus is a struggle and you miss church. Right?", "summary"),
    ("From 0, the worst it's been, to 10, how you want it, where are the nights?", "question"),
    ("Do you have any kids under 16 at home?", "question"),
    ("Is the boiler on and working?", "question"),
    ("Would you rather we stopped there for now?", "consent"),
    ("We can leave the money for another day if you'd like. Would that suit you?", "consent"),
    ("Would you like the carers to come earlier, before your bus?", "question"),
    ("You can have your own assessment as a carer. Would you like one?", "question"),
    ("Are you able to keep helping him shower, or should we look at other help?", "question"),
    # after batch R: a break offered with a drink, a hard topic left for later, asking with a way out,
    # booking an interpreter, consent after a long lead-in, medicine taken, equipment serviced, who lives
    # there and who has keys, savings for the financial assessment, a time that suits
    ("Do you fancy a cuppa and a breather before we carry on?", "consent"),
    ("Would you prefer to come back to the funeral another time?", "consent"),
    ("Could I ask about your drinking, or would you rather not?", "consent"),
    ("Shall we book a Polish interpreter, so your son doesn't have to translate?", "consent"),
    ("Before I forget, and I know it's been a long morning for you both, could I jot a few things down as we "
     "go?", "consent"),
    ("Did he remember to take his inhaler last night?", "question"),
    ("Has the stairlift been checked this year?", "question"),
    ("Who stays with you at the weekends?", "question"),
    ("Who holds the spare keys for the flat?", "question"),
    ("Besides your husband, do you look after anyone else at the moment?", "question"),
    ("Do you have any savings above the limit?", "question"),
    ("What day would suit you best for the next visit?", "question"),
    ("So the nights are bad, the bus is tiring and the garden keeps you going. Fair enough?", "summary"),
    ("You'd rather your daughter visited as your daughter, not as the one who washes you.", "reflection"),
    # after batches S and T: summaries ending in a question of their own, consent after a lead-in, asking
    # to talk freely, someone put on the phone, a smoke alarm, a cooker left on, money gone missing, a
    # direct payment offered, a question about what services have done (a plain fact, labelling guide)
    ("So the mornings are the worst, Ken helps at teatime, and you'd like your Fridays back. Anything else I "
     "should put down?", "summary"),
    ("You've said the stairs are hard, the bins are a struggle and you miss the choir. Did I get it all?",
     "summary"),
    ("Would it be all right, as we're short of time today, if we kept the money questions for next week?",
     "consent"),
    ("Are you somewhere you can talk freely at the moment?", "consent"),
    ("Could you hand the phone to your dad, so I can hear it from him?", "consent"),
    ("I'd like to jot a few notes on my tablet as we go. Would you mind?", "consent"),
    ("Does the smoke alarm in the hall still beep when you test it?", "question"),
    ("Has he left the gas on at all lately?", "question"),
    ("Has any cash gone missing from your purse recently?", "question"),
    ("Would you like the money paid straight to you, so you can pick your own carers?", "question"),
    ("Has anyone from the falls team been out to see you?", "question"),
    ("Are you getting Attendance Allowance at the moment?", "question"),
    ("Now your hip's mended, can you still manage helping him up the stairs?", "question"),
    # after batches U and V: a check that opens a summary, "Have I got all that right?", consent about who
    # stays in the room put after a lead-in, an interpreter offered, keeping on with the caring or handing
    # some of it over, a man or a woman, paying the agency, services already received or known
    ("Can I just check I've understood? The mornings are slow, your niece shops on Fridays, and you miss your "
     "garden. Anything else?", "summary"),
    ("So the stairs are the worst, the post worries you and you'd like Dot to visit. Have I got all that right?",
     "summary"),
    ("Before we get going I want to check, as some of this is personal, whether you're comfortable with your "
     "son staying while we talk.", "consent"),
    ("Would you like an interpreter for the next visit, so you can say it in your own words?", "consent"),
    ("With your chest as it is, can you keep lifting him into the bath, or would you like someone else to do "
     "it?", "question"),
    ("Is doing her tablets still something you can manage alongside work?", "question"),
    ("Would you rather the carer was a man or a woman?", "question"),
    ("How much are you paying for the cleaner each month?", "question"),
    ("Do you currently get any home care?", "question"),
    ("Are you still under the falls team?", "question"),
    ("Which time of day is hardest for you?", "question"),
    # after batches W and X: a check of two parts ending a summary, consent for someone to stay put to the
    # person or the room, a right to act for someone, falls, heating, medicine named by the person's name
    ("So the evenings are hard, Tom helps at weekends, and you want your Saturdays back. Is that everything, or "
     "have I left something out?", "summary"),
    ("Are you happy for your support worker to stay while we talk about money?", "consent"),
    ("Morning, all. Is everyone okay with me taking a few notes?", "consent"),
    ("Are you still willing to act as her appointee?", "question"),
    ("Has either of you had a fall since the last visit?", "question"),
    ("Have you got heating on today?", "question"),
    ("Did Jo take her insulin this morning?", "question"),
    ("You'd rather be her daughter than her carer.", "reflection"),
    ("Is it all right if your niece interprets, or would you prefer a professional interpreter?", "consent"),
    # after batches Y and Z: service history, money for the meter, feeling unsafe, medicine taken by
    # someone named, a worker who speaks the person's language, pushing a wheelchair, putting someone on
    # speaker, "when you say ..., is that ...?", "What else should I add?"
    ("Were you ever in the army?", "question"),
    ("Have you got money for the meter this week?", "question"),
    ("Has anyone who visits made you feel unsafe?", "question"),
    ("Has your dad taken his tablets today?", "question"),
    ("Would you like a worker who speaks Urdu, if we can find one?", "question"),
    ("Since your knee op, are you still able to push Jim's chair to the park?", "question"),
    ("Would you like me to put your son on speaker so he can hear too?", "consent"),
    ("When you say 'the lad', is that your grandson or your neighbour?", "question"),
    ("So you want to stay here, the stairs are hard and you miss the bowls club. What else should I add?",
     "summary"),
    # after batches ZA and ZB: how the call is held, who is listening, a lead-in before a semicolon, the call
    # itself checked, wandering and car keys as safety checks
    ("The signal keeps dropping; would you mind if we carried on by phone?", "consent"),
    ("Would you mind tilting the screen so I can see the front door?", "consent"),
    ("Would you rather we finished this over the phone instead of in person?", "consent"),
    ("Would you like your neighbour Ann to sit with us while we talk?", "consent"),
    ("Your son's in the next room; are you okay with him hearing this?", "consent"),
    ("Before I start, I'm going to jot a few things down as we go, so is that okay?", "consent"),
    ("Sorry, you cut out for a second; did you say the carer comes at nine or at ten?", "question"),
    ("Can you hear me clearly now?", "question"),
    ("Does your wife ever leave the flat at night without anyone noticing?", "question"),
    ("Has your dad still got the car keys?", "question"),
    ("Would you like the letter from us in large print?", "question"),
    ("Is your pendant alarm on you now?", "question"),
    ("Does your husband ever get lost when he goes out?", "question"),
    ("Would you prefer a support worker who's nearer your own age?", "question"),
    # after batches ZE and ZF: a choice of man or woman, or of post or email; who still lives here, who else relies
    # on the person; a scale's ends said without "is"
    ("After the last time, would it matter to you whether your carer is a man or a woman?", "question"),
    ("Would you like letters from us by email or in the post?", "question"),
    ("Is your son still living here?", "question"),
    ("Apart from your dad, is anyone else relying on you?", "question"),
    ("From 0 to 10, with 0 the worst it's been and 10 life as you want it, where are you now?", "question"),
    # after batches ZG and ZH: fear of a named person and hands put on someone as safety checks; carers who speak
    # the person's language as a choice; someone asked to step out is consent, not substitution
    ("Are you ever frightened of Martin?", "question"),
    ("Has your husband ever put his hands on you when he was angry?", "question"),
    ("Would you like Urdu-speaking carers, if we can find them?", "question"),
    ("Would it be alright if I asked your son to step out for a few minutes so we can talk?", "consent"),
    # after batches ZI to ZL: keys, alarms tested, sores and sharp things as safety checks; pressure from a named
    # relative; the carer's own body up to the task, and medicines still managed safely; a choice of two times or of
    # who the carers are; a word in private and a break of any length as consent; a scale's top said as "how you'd
    # want it"; "refer you" alone is plain
    ("Does anyone in the block have a spare key to your bungalow?", "question"),
    ("Is the smoke alarm ever tested?", "question"),
    ("Have you noticed any pressure sores on his heels?", "question"),
    ("Are there any knives lying around that worry you when he's low?", "question"),
    ("Has your grandson ever pressured you into lending him money?", "question"),
    ("Is your back still up to getting him into the bath?", "question"),
    ("With your hands as they are, can you still safely manage her insulin?", "question"),
    ("Would you prefer the call in the morning or afternoon?", "question"),
    ("Would you prefer the carers to come from an agency with Punjabi speakers?", "question"),
    ("Is there anything you'd like to say to me without your husband here?", "consent"),
    ("Would you like a ten-minute break before we carry on?", "consent"),
    ("Would you like me to refer you to the Citizens Advice money service?", "consent"),
    ("From 0 to 10, with 0 the worst and 10 the way you'd like it, where is your sleep?", "question"),
    ("Could we go through your medicines together?", "consent"),
    ("Is your dad known to the memory team?", "question"),
    # after batches ZM to ZP: who to ring in an emergency, someone after bank details or papers, equipment checked
    # and the key safe code as safety checks; still safely lifting someone as an able question; "would you rather it
    # was" and a carer's own assessment after a lead-in as choices; a quieter room or an interpreter as consent;
    # who someone is as a plain fact; "Did I get all of that?" and "Is that how it goes?" as checks
    ("Is there anyone we should call if you were taken ill in the night?", "question"),
    ("Has anyone rung you asking for your bank details?", "question"),
    ("Has anyone checked the stairlift since it went in?", "question"),
    ("Does the carer know the key safe code?", "question"),
    ("Since your knee operation, can you still safely lift him into the car?", "question"),
    ("Would you rather it was the same woman each time?", "question"),
    ("Your wife does so much; would she like an assessment of her own?", "question"),
    ("It's busy in here. Shall we find a room so we can talk privately?", "consent"),
    ("Would it help to have a signer for your dad next time?", "consent"),
    ("Is Maureen your cousin, or a neighbour?", "question"),
    ("Does the smoke alarm in your daughter's spare room work?", "question"),
    ("You're doing the meds, the shopping and his washing, and working nights. Did I get all of that?", "summary"),
])
def test_good_practice_is_not_flagged(text: str, form: str) -> None:
    verdict = check_question(text)
    assert (verdict.form, verdict.codes) == (form, ())


@pytest.mark.parametrize(("text", "codes"), [
    ("If 10 is the most stressed you've ever been, where are you today?", ("scaling_direction",)),
    ("If 0 is no pain at all and 10 is unbearable, where is it now?", ("scaling_direction",)),
    ("If 10 is perfect, where would you put your week?", ("scaling_direction",)),
    ("Where 0 is dreadful, how have the nights been?", ("scaling_direction",)),
    ("Put a number on how worried you are.", ("scaling_direction",)),
    ("If 10 is the best your mornings could be and 0 is the worst, where are they now?", ()),
    ("If 0 is you can't go on and 10 is you could keep going for years, where are you?", ()),
    # the blind_f round: "nought", "one being ...", a 1-to-5 scale, 10 as "unable" or "dependent"
    ("On a scale of nought to ten, with ten being totally unable to manage, where are the mornings?",
     ("scaling_direction",)),  # which way it runs is the fault (labelling guide)
    ("If 0 is not coping at all and 10 is coping really well, where are you?", ()),
    ("How settled do you feel, one being completely independent and ten being totally dependent on others?",
     ("deficit", "scaling_direction")),  # "dependent" labels the person, scales included (labelling guide)
    ("Where would you put the evenings, one being really hard and ten being as good as they get?", ()),
    ("Give us a number from one to five for your pain.", ("scaling_direction",)),
    ("On a scale of 0 to 10, where 10 is as frightened as you could be, how frightened are you at night?",
     ("scaling_direction",)),
    ("How lonely do you feel, from nought upwards?", ("scaling_direction",)),
    ("Rate how stressed you are, 0 being not at all and 10 being completely.", ("scaling_direction",)),
    ("If 10 is a perfect mum, what number would you give yourself?", ("scaling_direction",)),
    # after batch R: 10 at the bad end in other words, a scale between one and ten that counts the problem
    ("Out of ten, with 10 being agony, how is your back this week?", ("scaling_direction",)),
    ("Out of 10, how anxious are you, 10 being totally overwhelmed?", ("scaling_direction",)),
    ("With 10 being completely reliant on others, where would you put yourself?",
     ("deficit", "scaling_direction")),
    ("What would you give the pain this week, out of ten?", ("scaling_direction",)),
    ("Between one and ten, how worn out do you feel?", ("scaling_direction",)),
    ("Where's your mood this week out of 10, 10 being suicidal?", ("scaling_direction",)),
    ("What's the pain like out of 10, where 10 is unbearable?", ("scaling_direction",)),
    ("Would you like a breather? We can stop for ten minutes.", ()),  # ten minutes is not a scale
    ("If 10's the worst flare-up you've had, where is it today?", ("scaling_direction",)),
    ("Out of 10, with 10 being completely perfect, how is the new flat?", ("scaling_direction",)),
    ("How wiped out are you, 0 to 10, 10 being totally shattered?", ("scaling_direction",)),
    ("How would you rate his aggression out of 10?", ("deficit", "scaling_direction")),
    ("Out of 10, how wrung out are you, 10 being totally burnt out?", ("scaling_direction",)),
    ("How much of a falls risk is he, out of 10?", ("deficit", "scaling_direction")),
])
def test_which_way_an_anchored_scale_runs(text: str, codes: tuple[str, ...]) -> None:
    assert check_question(text).codes == codes


@pytest.mark.parametrize(("text", "code", "found"), [
    ("Loads of parents get tired, it goes with the territory.", "minimising", True),
    ("Most people your age forget things, so I wouldn't worry.", "minimising", True),
    ("You're strong, you'll get over it.", "minimising", True),
    ("The showering's fine as long as your husband's home.", "minimising", True),
    ("Your daughter does your meals, so I'll mark that down as met.", "minimising", True),
    ("Caring for your dad is just what daughters do.", "minimising", True),
    ("Plenty of mums juggle work and kids, you'll manage.", "minimising", True),
    ("Every carer's tired, to be fair.", "minimising", True),
    ("How do you think you'll manage?", "minimising", False),
    # the blind_f round: the condition as the frame for a loss, a label even in a leading line
    ("Because you're deaf, I suppose you can't use the phone at all?", "deficit", True),
    ("With his dementia, I'm assuming he can't be left on his own?", "deficit", True),
    ("Is there anything you can still do for yourself in the kitchen?", "deficit", True),
    ("He's pretty much housebound these days, isn't he?", "deficit", True),
    ("I expect the garden is getting too much for you now?", "deficit", False),  # leading, not a label
    ("I'll post you the plan, and you can tell me if anything's wrong.", "deficit", False),
    # the blind_i round: family as interpreter, talking to family instead, a condition stated then its upshot
    ("Your nephew can just translate for us, can't he?", "substitution", True),
    ("You're blind, so I'll just go through it with your son.", "substitution", True),
    ("You're blind, so I'll just go through it with your son.", "deficit", True),
    ("You can't hear well, so you won't want to go to the club, will you?", "deficit", True),
    ("I'll just talk to your husband about his own needs as a carer as well.", "substitution", False),
    ("Your daughter's an adult, she has to take responsibility for her recovery, hasn't she?", "long", False),
    # the blind_l round: the condition as the frame ("won't be able", "out of the question"), asking a
    # count of what cannot be done; a closed check for problems is not a deficit frame
    ("Because of his autism, he won't be able to use the bus, will he?", "deficit", True),
    ("With your arthritis, gardening's out of the question now, isn't it?", "deficit", True),
    ("How many things can't you do for yourself now?", "deficit", True),
    ("Any problems with getting in the bath?", "deficit", True),  # problems only: the labelling guide names it
    ("Have you had any problems with the agency lately?", "deficit", False),  # the service, not the person
    ("You'll be fine to stop me at any time.", "minimising", False),
    ("So I'm clear, you're managing fine on your own, aren't you?", "minimising", True),
    ("Lots of carers feel that way, and it makes sense with everything you do.", "minimising", False),
    ("Are you an alcoholic?", "deficit", True),
    ("How dependent would you say you are?", "deficit", True),
    ("How confused is he these days?", "deficit", True),
    ("Is your son a difficult child?", "deficit", True),
    ("Is it your dementia that stops you going out?", "deficit", True),
    ("How has the stroke ruined your retirement?", "leading", True),
    ("Could your grandparents have the kids on Fridays?", "substitution", True),
    ("You've got two sons nearby, so you should be all right.", "substitution", True),
    # the labelling guide: "personal care" is care-plan language; a choice is not a fact about experience
    ("How is the personal care going?", "jargon", True),
    ("Would you prefer to stay in this house?", "closed", True),
    ("Does anyone help you at home?", "closed", True),
    ("Would your neighbour rather pop in than have a carer come?", "substitution", True),
    # after batches N and O: reassurance that the need will pass, needing nothing, taken off the list;
    # unpaid help said to have time or to cover a side of life; acceptance and feelings presumed
    ("Your appetite will pick up once the antibiotics finish.", "minimising", True),
    ("Teenagers bounce back; he'll settle in with you soon enough.", "minimising", True),
    ("So the neighbours pop in and your son phones, so you're not really needing anything from us. Does that "
     "sound fair?", "minimising", True),
    ("So your husband does all the cooking, which means we can take meals off the list.", "minimising", True),
    ("Your youngest is out of work at the moment, so he'd have time to do Dad's shopping.", "substitution", True),
    ("Your sister rings every evening, so the loneliness side is covered really.", "substitution", True),
    ("Could your housemate check you've had your tea?", "substitution", True),
    ("Could your housemate check you've had your tea?", "closed", False),  # the steer is the fault
    ("You've got your grandson staying with you, so you're not really on your own, are you?", "closed", True),
    ("How soon would you like the carers to start?", "leading", True),
    ("Shall I book you in for the lunch club on Fridays, then?", "leading", True),
    ("How awful is it seeing your husband like this?", "leading", True),
    ("Does your condition stop you looking after the kids properly?", "deficit", True),
    ("Out of ten, how reliant on your son would you say you are?", "deficit", True),
    ("How much of a burden does caring feel, out of 10?", "deficit", False),  # a feeling, not a label
    ("When the fog comes down in the evening, even phoning your sister feels impossible.", "deficit", False),
    ("So the bath's fine, you get out a bit, and apart from the odd bad night it's all okay really. Fair?",
     "minimising", True),
    ("So your sister does the nights, your son the mornings, so we only need to think about lunch. Okay?",
     "substitution", True),
    ("So that's covered by your son then, right?", "leading", True),  # one thing, not a summary: it leads
    ("From 0, coping really well, to 10, not coping at all, where are you?", "scaling_direction", True),
    ("How relieved were you when she moved into the home?", "leading", True),
    ("Would you say, all in all, you're coping?", "leading", True),
    ("What's stopping you from just using the stairlift?", "leading", True),
    ("What makes your brother such hard work?", "deficit", True),
    ("Now you've retired, you'll be able to do more for your mum?", "substitution", True),
    ("Your husband's a paramedic, so he'll know how to manage your insulin?", "substitution", True),
    ("So the cooking's sorted because your son does it?", "substitution", True),
    ("Your daughter's there on Sundays, so that's Sundays covered, isn't it?", "substitution", True),
    ("Your wife does your tablets, so I'll mark that as met.", "substitution", True),
    ("If your friend's already doing the ironing, we won't need to include it.", "substitution", True),
    ("So the evenings aren't a problem as long as your daughter's around?", "substitution", True),
    ("Feeling low isn't really something we can help with.", "minimising", True),
    ("I know it's hard, but most families manage this sort of thing themselves.", "substitution", True),
    ("It sounds like your son's happy to take all of that on.", "substitution", True),
    ("He's lived with you all his life, so you must be used to it.", "minimising", True),
    ("Why is the bathroom in such a mess?", "deficit", False),  # the blame is the fault: why
    ("You were a 6 in March and now you're a 4, so what went wrong?", "deficit", False),  # the drop: scaling
    ("With 0 being no problems at all, how bad are the evenings?", "deficit", False),
    ("I'll put on the form that he's non-compliant with his tablets.", "jargon", False),  # a label: deficit
    # after batch R: made occasional, "not the end of the world", the budget first, "shouldn't be a problem",
    # compared with others, "just popping in"; family close by or retired, so the need taken as met; a need
    # met by family that will still be written down; a verdict taken as given; a tag in the middle
    ("He only forgets his tablets now and again, doesn't he?", "minimising", True),
    ("A bit of mess in the kitchen isn't the end of the world.", "minimising", True),
    ("Money's tight, and with a limited budget, what's the one thing you'd keep?", "minimising", True),
    ("The dog gets you out, so going out shouldn't be much of a problem.", "minimising", True),
    ("Compared to a lot of carers, you've got it easy.", "minimising", True),
    ("It's only nipping round twice a day though, really.", "minimising", True),
    ("Your brother's just across the road, so mornings are sorted.", "substitution", True),
    ("Your aunt's retired now, so she could do the school run.", "substitution", True),
    ("Is there space for you at your sister's in Leeds?", "substitution", True),
    ("As your wife already sorts the post, I won't put that in.", "minimising", True),
    ("As your wife already sorts the post, I won't put that in.", "substitution", True),
    ("Even though your son does the meals, I'll still put meals down as a need.", "minimising", False),
    ("Why won't you let the carers in when you clearly need help?", "leading", True),
    ("You're not really struggling, are you, now your grandson's moved in?", "leading", True),
    ("How thankful are you that your neighbour keeps an eye out?", "leading", True),
    ("Given how dependent you've become, what do you want from us?", "deficit", True),
    ("What you say stays with me, unless I'm worried someone's at risk of harm.", "deficit", False),
    ("Would you say you were frail?", "closed", True),
    ("Would you describe yourself as lonely?", "closed", True),
    # after batches S and T: a verdict concluded from what family or gadgets do; caring presumed from the
    # relationship or from retirement; unpaid help put as the answer; a diagnosis as what stops the person
    ("So with your son at weekends and the church on Sundays, there's not much you need from us.",
     "minimising", True),
    ("You've got the cat and the radio, so you're not really on your own.", "minimising", True),
    ("You're walking much better now, aren't you?", "minimising", True),
    ("Everyone's forgetful at our age.", "minimising", True),
    ("She's your mum, so the weekends fall to you, don't they?", "substitution", True),
    ("Your uncle's retired; is he free to take her to the clinic?", "substitution", True),
    ("The lads from the allotment see him most days; could one of them do his shopping?", "substitution", True),
    ("What does the arthritis stop you doing these days?", "deficit", True),
    ("So he's quite a difficult man to care for.", "deficit", True),
    ("Would it help if you started going to the carers' group?", "leading", True),
    ("Would you say you're pretty independent now?", "leading", True),
    ("Why do you get so cross with your sister?", "leading", False),  # why, not also leading (guide, R-T)
    # not leading: seven lines by earlier writers and S against four (R, T, U, X) (labelling guide, Changes)
    ("On a scale of 0 to 10, how much of a strain is looking after him?", "leading", False),
    # after batches U and V: normalising, "you're lucky", "not a lot we can do", "part of the deal", the
    # person refusing help is not substitution, nor is asking gently; suggestions and fallbacks naming unpaid
    # help; a label put on the person, a diagnosis as what stops them, "Do you have a ... problem?"
    ("Every mum of a toddler is tired, that's just parenting.", "minimising", True),
    ("You're lucky really, some people have nobody at all.", "minimising", True),
    ("He's not sleeping because of the illness, so there's not a lot we can do.", "minimising", True),
    ("She's your wife, so the bathing is part of the deal, really.", "minimising", True),
    ("Why won't your dad let anyone help him with the stairs?", "substitution", False),
    ("Could you tell me, if it's not too hard, what happens on a bad night?", "minimising", False),
    ("Are you getting on all right at the new place?", "minimising", False),
    ("What about your uncle, could he take you to the hospital?", "substitution", True),
    ("Could one of the other tenants check on her at night?", "substitution", True),
    ("If your cousin did the tablets, we wouldn't need the teatime visit.", "substitution", True),
    ("So the ironing's covered by your sister then.", "substitution", True),
    ("Maybe your friends could take turns with the shopping?", "leading", False),  # substitution and closed
    ("Do you think you'd benefit from a few weeks at a day centre?", "leading", True),
    ("Could you manage if we just dropped off some frozen meals?", "leading", True),
    ("She's a bit of a hoarder, isn't she?", "deficit", True),
    ("Because of the brain injury you can't really work, can you?", "deficit", True),
    ("Does your dad have a memory problem?", "deficit", True),
    ("He's quite a difficult young man to support.", "deficit", True),
    # after batches W and X: caring handed on by a rota, by "which of you", by time off work, by culture;
    # a need cut or passed over; saying what will happen next is a statement, not a question
    ("So the four of you will do a rota for the evenings?", "substitution", True),
    ("Dad's getting older, so which of you is going to take Amy on?", "substitution", True),
    ("Now you're off work, you'll have more time for him, won't you?", "substitution", True),
    ("Families look after their own round here, don't they?", "minimising", True),
    ("With your sister doing Sundays, we can cut the agency hours down.", "minimising", True),
    ("So the crisis has passed now he's on the new tablets?", "minimising", True),
    # after batches Y and Z: a tag mid-line leads; a spare room offered; labels and a diagnosis named with
    # the person's name; "I doubt she'd notice"
    ("Your son's got a car, hasn't he, so he could run you to the clinic?", "leading", True),
    ("Your sister has a spare room, hasn't she? That would sort the stairs.", "substitution", True),
    ("Dad's dementia is what stops him going out, isn't it?", "deficit", True),
    ("You're being very defensive about the flat.", "deficit", True),
    ("He's pleasantly confused, so I doubt he'd notice a move.", "minimising", True),
    ("So, what have I got wrong? Your mum helps with money and you want more time with friends.", "deficit",
     False),
    # after batches ZA and ZB: a verdict put to the person is closed too; "really" presumes the answer; a
    # suggestion of unpaid help put in the negative is substitution alone; needs handed on or taken as met
    ("Would you say the walking's pretty much back to how it was?", "closed", True),
    ("Is it really worth us getting involved?", "leading", True),
    ("Couldn't your nephew do the shopping on a Saturday?", "leading", False),
    ("Couldn't your nephew do the shopping on a Saturday?", "substitution", True),
    ("If it gets worse, try your cousins first before ringing us.", "substitution", True),
    ("I'll note that her needs are met by you at the moment.", "substitution", True),
    ("Your granddaughter's old enough to help with the washing up now.", "substitution", True),
    ("Why doesn't your brother help with the garden?", "substitution", True),
    ("Why does your daughter do the caring?", "substitution", False),
    ("I'm sure the neighbours will rally round.", "substitution", True),
    ("I'm sure the neighbours will rally round.", "minimising", True),
    ("When did your arthritis start stopping you from gardening?", "deficit", True),
    ("With your bad knee, you can't manage the bus, can you?", "deficit", True),
    ("Out of 10, how much of a burden is your dad?", "deficit", True),
    ("Out of 10, how much of a burden is your dad's care?", "deficit", False),
    ("She's got autism, so she can't really say what she wants, can she?", "deficit", True),
    ("With your MS, you must find the stairs exhausting?", "deficit", True),
    ("Right, any problems with cooking or cleaning?", "deficit", True),
    ("Yes or no, is the shower a problem?", "deficit", True),
    ("How cut off do you feel because of your hearing loss, 1 to 10?", "deficit", True),
    ("Not having to ask your daughter to help with the post matters a lot to you.", "substitution", False),
    ("Family parties are hard when everyone forgets to include you.", "minimising", False),
    # after batches ZC and ZD: perfection or high risk at 10; a condition as why something is out of reach; the
    # severity of a condition scored
    ("If 10 means a perfectly tidy home, where are things now?", "scaling_direction", True),
    ("Out of 10, where 10 is very high risk, how likely is another fall?", "scaling_direction", True),
    ("With your epilepsy, cooking on a gas hob would be too risky, wouldn't it?", "deficit", True),
    ("How would you rate your mum's dementia, 0 to 10?", "deficit", True),
    ("Maybe the temple could send someone round with meals?", "closed", False),
    ("Couldn't your brother have your dad for a weekend?", "substitution", True),
    ("Could you stay at your mum's when the nights are bad?", "substitution", True),
    ("Your cousin's around most days, so he can check you've eaten.", "substitution", True),
    ("The drop-in is free, so there's probably no need for a support worker.", "substitution", True),
    ("A lot of this is what families would normally pick up.", "substitution", True),
    ("With 10 the worst it has ever been, how is the pain today?", "scaling_direction", True),
    ("You don't really need two carers for the hoist if your son's there, do you?", "substitution", True),
    ("Your wife's home in the evenings anyway, so she could do the tablets.", "substitution", True),
    ("In your family, the family looks after the elders, doesn't it?", "substitution", True),
    ("Can we assume your husband's still doing the meals?", "substitution", True),
    ("Could someone from the British Legion take you to the clinic?", "substitution", True),
    ("Could your sponsor keep an eye on you at weekends?", "substitution", True),
    ("Your brother does the shopping, so that need's met.", "minimising", True),
    ("Are things alright between you and your sister?", "closed", True),  # not a question of who someone is
    ("Your daughter's got a spare room, hasn't she?", "substitution", True),
    ("Her challenging behaviour must wear you down?", "deficit", True),  # a label, though the line leads
    ("She's a high falls risk, so we'll be looking at a night sitter.", "deficit", True),
    ("You get upset when people talk to your carer instead of you.", "substitution", False),
])
def test_general_codes(text: str, code: str, found: bool) -> None:
    assert (code in check_question(text).codes) == found


@pytest.mark.parametrize(("text", "learned", "kept"), [
    ("Why haven't you asked for help before?", "substitution", False),  # no one named to hand the need to
    ("Could your nephew do a bit more of the driving?", "substitution", True),
    ("Is there anyone who could do your shopping?", "substitution", True),
    ("How are you getting about these days?", "scaling_direction", False),  # no scale, no number
    ("What would it take to get you to a seven?", "scaling_direction", False),  # up from here: the guide's own example
    ("What would need to change for it to be a 4?", "scaling_direction", False),
    ("Why is it a 3 now, when it was a 6?", "scaling_direction", True),
    ("His sister's round the corner.", "substitution", True),  # "sister's" names her, as "sister" does
    ("The Salvation Army could drop round a hot meal.", "substitution", True),
    ("What puts you at 4 and not 2?", "scaling_direction", False),  # the follow-up that runs the right way
    ("What is she good at?", "deficit", False),  # a strengths question with no problem in it
    ("What is she good at, and what's wrong with her legs?", "deficit", True),
])
def test_learned_codes_need_what_they_name_in_the_line(text: str, learned: str, kept: bool) -> None:
    assert (learned in checker_module.combine(set(), {learned}, normal(text))) is kept


@pytest.mark.parametrize(("text", "double"), [
    ("What about your cousins? Could they do the shopping?", False),  # a lead-in, then one question
    ("How much is it affecting you, 0 to 10? A lot, I'd guess?", False),  # a guess tagged on: it leads
    ("How are the mornings? And what about the nights?", True),
])
def test_a_lead_in_or_a_guess_is_not_a_second_question(text: str, double: bool) -> None:
    assert ("double" in check_question(text).codes) is double


@pytest.mark.parametrize(("text", "form"), [
    ("All carers get tired at times, it's just part of the job.", "statement"),
    ("Feeling low now and then is part of getting older.", "statement"),
    ("You seem to manage the stairs fine, so I'll put you down as independent.", "statement"),
    ("Since your wife died, the weekends feel very empty.", "reflection"),
])
def test_a_rule_for_everyone_or_the_practitioners_own_plan_is_a_statement(text: str, form: str) -> None:
    assert check_question(text).form == form


def test_a_label_keeps_its_deficit_whatever_the_model_doubts() -> None:
    """A label put on the person is deficit wherever it appears (labelling guide): the model cannot overrule it."""
    rules = checker_module.load_rules()
    labelled = normal("You seem to be in denial about his drinking.")
    assert checker_module.overrulable({"deficit", "jargon"}, shape_of(labelled, rules), labelled, rules) == {"jargon"}
    plain = normal("You seem worried about his drinking.")
    assert checker_module.overrulable({"deficit"}, shape_of(plain, rules), plain, rules) == {"deficit"}


def test_the_models_deficit_stands_on_a_line_that_leads() -> None:
    """A tag or a presumption leads; a condition or a label in the same line still frames the person by what they
    cannot do (batches ZI-ZP: 8 of 10 such lines the model caught were labelled deficit). A why question blames
    instead: that is its fault."""
    led = normal("With his dementia, he can't really go out on his own, can he?")
    assert "deficit" in checker_module.combine({"closed", "leading"}, {"deficit"}, led)
    why = normal("Why can't he go out on his own?")
    assert "deficit" not in checker_module.combine({"why"}, {"deficit"}, why)
