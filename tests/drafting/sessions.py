"""Small transcripts shared by the drafting tests."""

SESSION = """WEBVTT

NOTE exported from Zoom

1
00:00:01.000 --> 00:00:05.000
Dr. Rivera: Hi Sam, can you hear me okay? How have you been since last week?

2
00:00:05.500 --> 00:00:12.000
Sam: Honestly pretty down. I've been sleeping badly, waking up at 3 and can't get back to sleep.

3
00:00:12.500 --> 00:00:20.000
Dr. Rivera: That sounds exhausting. How's your appetite?

4
00:00:20.500 --> 00:00:26.000
Sam: Not great. I've been skipping meals. And I missed work twice this week.

5
00:00:26.500 --> 00:00:33.000
Dr. Rivera: I want to check in about safety. Have you had any thoughts of killing yourself?

6
00:00:33.500 --> 00:00:40.000
Sam: No. I'd never do that, my kids need me. My brother tried to kill himself last year though.

7
00:00:40.500 --> 00:00:46.000
Dr. Rivera: Thank you for telling me. Any thoughts of hurting anyone else?

8
00:00:46.500 --> 00:00:50.000
Sam: No. Well, my boss, I could kill him sometimes, but not literally.

9
00:00:50.500 --> 00:00:58.000
Dr. Rivera: Your PHQ-9 today was 16. Dr. Lee increased your sertraline to 100 mg last week, right?

10
00:00:58.500 --> 00:01:05.000
Sam: Yes, but I forgot to take it a few days.

11
00:01:05.500 --> 00:01:15.000
Sam: Things with my wife are bad. She found out I'd been texting my ex and we fought all weekend.

12
00:01:15.500 --> 00:01:25.000
Dr. Rivera: Let's look at the thought "I'm a failure". What's the evidence for and against that thought?

13
00:01:25.500 --> 00:01:30.000
Sam: I guess that's true, I did finish the project. That helps.

14
00:01:30.500 --> 00:01:36.000
Dr. Rivera: For homework, I'd like you to fill out one thought record each day when your mood drops.

15
00:01:36.000 --> 00:01:40.000
Dr. Rivera: I'll see you next Tuesday at the same time.
"""
