<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About {app}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A peer-to-peer messenger for small circles on a shared network. Free software under the GNU General Public License, version 3 or later ({licence}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What Hearth hides, and what it does not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Anonymity</name>
    <message>
        <source>Anonymous posts show no name, and nobody, not even the host, can tell who wrote one: it could be any member. That is only as strong as the circle is big: among 3 or 4 people others may well guess; with fewer than 3, nothing is sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posts here are anonymous, but that takes at least 3 people here at once: yours waits until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous among the {n} people here: weak. In a circle this small, people may well guess who wrote it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous among the {n} people here. People may still guess from what you write; anyone you talk to outside the circle can too. It appears within about a minute.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BubbleDelegate</name>
    <message>
        <source>Content warning: {warning}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This post was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This post is hidden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In reply to an earlier post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In reply to a post that was deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In reply to a hidden post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In reply to {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} · {state}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CirclePanel</name>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the circle panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circle code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invite link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the invite link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a spoken code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a spoken code to read aloud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning about this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare safety numbers with this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a direct message to this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mute this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report this member to the moderators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this member from the circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make co-moderator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make this member a co-moderator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circle settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circle settings and my name here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports to review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the reports to review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave circle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posts that mention these words or topics fold behind a notice, for you only. Separate them with commas.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>for example: hospital, funeral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save my boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This circle has no written rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circle code {code}: read it aloud; everyone who sees the same code sees the same members.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End moderator term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End this member&apos;s moderator term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unmute this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unblock this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}&apos;s key changed. Compare safety numbers in person before trusting what they say.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You will no longer see {name}&apos;s posts or messages in this circle. They are not told. You can unblock them here at any time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block {name}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CircleSettingsDialog</name>
    <message>
        <source>Settings of {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My name in this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others here see the new name at once; other circles never do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let people in without asking me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve newcomers automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members are asked to accept changed rules again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newcomers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off: someone with the link waits until you let them in. On: anyone with the link gets in at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow mode: seconds between a member&apos;s posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow mode, seconds between posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the circle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the circle for good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the circle settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close {name} for good?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody can post in {name} any more, and nobody new can join. What was said stays readable for those who keep it. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the circle for good, now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeCheck</name>
    <message>
        <source>“{word}” is not a word join codes use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did you mean “{close}”?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Content warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content warning: a few words shown before your message, e.g. “grief”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conversation starters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert an open-ended question</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a content warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others see the warning first and choose whether to read on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replying to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to the whole circle instead (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to the circle…  (Enter sends, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create or join a circle to start talking.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replying to {who}: {excerpt}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too long by {n} — shorten it to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{used} / {limit}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfirmDialog</name>
    <message>
        <source>Notice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationArea</name>
    <message>
        <source>Invite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invite someone to this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share a link or read a code aloud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the circle&apos;s rules and members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules, members, safety numbers (Ctrl+I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find posts by their words (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No messages yet. Say hello, or try a conversation starter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You were removed from this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is typing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct messages — only the two of you can read them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to {peer}…  (Enter sends, Shift+Enter for a new line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for the host to let you in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only you here so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} people here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you are {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you host it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you moderate it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host removed you from {name}. What was said stays readable here; nothing new reaches you or the circle from you. Leave it from &quot;About this circle&quot; when you are ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was said here while you were in this circle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host has been asked to let you in. What is said here shows once they do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can no longer write here: you were removed from this circle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You can write here once the host lets you in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} posts found — Enter or a click shows one (Esc closes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No posts here with these words.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationModel</name>
    <message>
        <source>Anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who}, {when}: this post was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{label}: {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in reply to a post that was deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in reply to a hidden post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in reply to {who}: {body}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who}, {when}: this post is hidden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who}, {when}: content warning: {warning}. Press Enter to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who}, {when}: {body}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This post was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This post is hidden.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions on this message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the message again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide for everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete for everyone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>React</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>React to this message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreateCircleDialog</name>
    <message>
        <source>Create a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Tuesday evening group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the circle is for, in a sentence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is said here stays here.
Speak for yourself; listen without fixing.
Be kind. No names of people who are not here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everyone reads and accepts these before joining.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name in this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For this session only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For some hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For some days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many hours or days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone may message anyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only with the host and moderators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No direct messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow mode, seconds between posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow anonymous posts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Posts show no name and nobody can tell who wrote them; times are rounded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let people in without asking me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve newcomers automatically</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the circle a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rules are too long (at most 4000 characters).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Dialog</name>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DmRequestDialog</name>
    <message>
        <source>{peer} asks to talk privately</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{peer}, from {circle}, wrote to you privately. Their messages appear once you accept. If you decline, they are not told: their messages are simply not shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline {peer}&apos;s request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept {peer}&apos;s request</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Welcome to Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A circle is a small, private room for people on this network.
Create one and read its code aloud, or join with the code or link someone gave you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything you say is end-to-end encrypted. Others see only the name you choose for each circle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join with a code or link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a circle with a code or link</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hearth is for small circles of people in the same place. There is no account and no server: you talk directly, under a name you choose for each circle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What Hearth hides, and what it does not</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep a profile on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep a profile protected by a passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ephemeral session: keep nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ephemeral session, nothing is saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your circles and history are kept, encrypted under your passphrase. Nobody can recover a forgotten passphrase — not even us.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything lives in memory and is gone when you quit. Good for a borrowed or shared computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name in your first circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others in that circle see only this name. You choose a new one for each circle, so nobody can link your circles. Avoid your real name if you want to stay anonymous.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How should Hearth keep your things?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What should people call you?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a passphrase of at least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ. Type the same one twice.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InviteDialog</name>
    <message>
        <source>Invite someone to {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invite link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the invite link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share a link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anyone with the link can ask to join, so share it only with people you mean to invite, over a channel you trust.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or read a code aloud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spoken code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left for this code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About this code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a spoken code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a spoken code to read aloud</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newcomer types it on their computer, on this network. A few wrong guesses close the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking to join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People who type the code appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone typed a wrong code. One more wrong try closes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone typed a wrong code. {n} more wrong tries close it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This code was closed after three wrong tries, so nobody can join with it now. It may have been a typo, or someone guessing: make a new code and read it only to the person joining.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a new code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a new spoken code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This code has expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a new code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires in {time}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>Paste a link or type a code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A link has no spaces: paste it again in one piece.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is neither an invite link nor a code like “7-amber-lantern”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hearth://… or 7-amber-lantern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invite link or spoken code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the link someone sent you, or type the code the host reads aloud. Codes work on this network only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the circle…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for the circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The circle&apos;s rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host&apos;s rules come as soon as you are connected: you read them and accept them then, before you take part.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About the rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have read the rules and will follow them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name in this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No introduction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: a few words the circle sees when you arrive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Introduce yourself (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Introduction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This circle has no written rules.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the rules and tick the box to join.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Joining {name}…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <source>Leave {name}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name, keys and the history of this circle are deleted from this computer. Others keep what you already posted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You host this circle. If you leave, it carries on without a host: consider making someone a moderator first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave quietly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say goodbye?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Goodbye message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave quietly, or write a few words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave circle</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Create a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go to circles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panic wipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe everything now?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your circles, names, keys and history on this computer are destroyed and Hearth quits. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe everything now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply to the selected message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>React: I hear you, Thank you, Sending care, Me too</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete my selected message for everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actions on the selected message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Menu key or Shift+F10</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberDelegate</name>
    <message>
        <source>Key changed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemberListModel</name>
    <message>
        <source>host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>moderator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>here now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>away</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verified in person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>muted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (you)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: key changed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MenuBar</name>
    <message>
        <source>Menu bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>H&amp;elp</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModerationQueueDialog</name>
    <message>
        <source>Reports to review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reports. Nothing needs you right now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reported post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide the reported post for everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from the circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the reported member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss the report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harassment or bullying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threats or violence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone may be at risk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>someone who asked not to be named</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} was reported for: {reason}.
Reported by {by}, {when}.{details}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewcomerRow</name>
    <message>
        <source>Newcomer {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Let {name} in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decline {name}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <source>Notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Passphrase</name>
    <message>
        <source>Too short: use at least 8 characters — a few words work well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weak: add a few more words — a sentence only you would think of.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fair: one or two more words would make it strong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strong.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Pseudonym</name>
    <message>
        <source>Choose a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a name with at least one letter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a name of at most 32 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name cannot contain line breaks, tabs or control codes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name cannot contain invisible characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name cannot contain unassigned or private characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name cannot stack that many accents.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That name is reserved so nobody can pass for the host or the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PseudonymField</name>
    <message>
        <source>Your name in this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A name others will see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggest another</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggest another name</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Reactions</name>
    <message>
        <source>I hear you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending care</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Me too</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReplyCue</name>
    <message>
        <source>usually replies within a minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usually replies within a few minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usually replies within an hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usually replies within a few hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usually replies later in the day</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Report {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The circle&apos;s host and moderators see this report{post}. They decide what happens; you may also block {name} yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and the post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reported post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Harassment or bullying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threats or violence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone may be at risk of harming themselves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sharing someone&apos;s private information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spam</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something else</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: what the moderators should know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not tell the moderators it was me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report anonymously</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is this circle&apos;s only moderator: this report goes to them, and to nobody else. You can block them and leave the circle instead; Help elsewhere lists people outside the circle who can help.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: the only moderator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send it to them anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say in a few words what is wrong.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>The rules of %s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before you take part, please read this circle&apos;s rules:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The circle&apos;s rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept the rules</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SafetyNumberDialog</name>
    <message>
        <source>Safety number with {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}&apos;s key changed since you last talked. This happens when someone reinstalls Hearth — or when someone else is pretending to be them. Compare the numbers before you trust what they say.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: the key changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meet {name} in person and compare this number with the one on their screen. If they match, nobody is in between you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not available yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You compared this number with {name} in person: verified.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>They match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The numbers match: mark as verified</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Be visible in the open lobby on this network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others running Hearth here can see a lobby name for you and say hello.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send read receipts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others see when you have read their messages; you see theirs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show and send typing indicators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others see when you are writing; you see when they are.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show how soon people usually reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worked out on this computer from message times; never sent anywhere.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Safety</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe everything when I quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each start is then a fresh, empty session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panic shortcut: hide the window and wipe everything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask before wiping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without this, the panic shortcut wipes at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick hide shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both shortcuts work while Hearth has focus.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe everything now…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe everything now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications and look</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Say only that there is a new message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show who sent it and where</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the message itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Others nearby may see your screen: the less it says, the safer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quick hide and panic shortcuts must differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a circle (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a circle with a code or a link (Ctrl+J)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Join a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ephemeral: nothing is kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ephemeral session: nothing is kept when you quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Circles you create or join appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private conversations with one member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members of your circles who are nearby now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help elsewhere and questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help elsewhere, and questions (F1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Hearth</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SidebarModels</name>
    <message>
        <source>1 unread message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} unread messages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you host it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{peer} asks to talk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{peer} asks to talk privately: open to accept or decline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Direct messages with {peer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, here now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupportDialog</name>
    <message>
        <source>Help elsewhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hearth is a place to talk, not an emergency service. If you or someone else is in danger, reach out to people who can help now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No help resources are listed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This list is a file your community can edit and translate: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions and answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No questions and answers are available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThreatModel</name>
    <message>
        <source>Someone watching the network sees that this computer runs Hearth, and its address. They do not see what is said or who said it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other members see the name you chose for that circle and what you post there — nothing that links you to your other circles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone who takes this computer finds nothing (an ephemeral session, or after a wipe), or a profile locked by your passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A computer that is already compromised (spyware, a keylogger).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A member who takes screenshots or repeats what was said.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone who can see which computers connect to which (on the same Wi-Fi, or who runs it) can tell which of them share a circle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone who watches the whole network for a long time and studies its traffic.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage that keeps old copies: a wipe destroys the key, so the data cannot be read, but some disks keep old blocks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What Hearth hides</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What it does not</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>New message in a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New message from {sender} in {circle}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{sender} in {circle}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone asks to talk privately</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{peer} in {circle} asks to talk privately</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New private message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New private message from {sender}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{sender}, privately</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tray menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide Hearth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{app}: {count} unread</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TypingIndicator</name>
    <message>
        <source>{a} is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{a} and {b} are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Several people are typing…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <source>Unlock your profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your circles and history on this computer are locked by a passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start an ephemeral session instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start an ephemeral session instead, keeping nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forgot it? Start a new profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new profile, wiping this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That passphrase did not open this profile. Check Caps Lock and the keyboard layout, and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new profile?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The locked profile on this computer is wiped: its circles, names, keys and history are gone for good. Then you choose a new passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe it and start anew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wipe the locked profile and start a new one</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <source>Something went wrong. Nothing was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow mode is on in this circle: you can post again in {n} s. What you wrote is still in the box.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a circle nearby</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your report is on its way to the circle&apos;s moderators.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent automatically: they sent far too much, too fast.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s asks to talk privately.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The circle&apos;s settings are saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s is verified: your safety numbers matched.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your post was deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} left the circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>: “{goodbye}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} is no longer in this circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} joined the circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keeps what is said for as long as it exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keeps what is said for {n} hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keeps what is said for {n} days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keeps what is said while its members are here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You joined here. What is above was said before you came: this circle {keeps}, for members old and new.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>w</name>
    <message>
        <source>Remove %s?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %s from this circle? Their posts are hidden for everyone, they can no longer connect, and the circle&apos;s secret changes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%s asks to join %s: open Invite to let them in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Someone asks to join a circle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new report waits in the moderation queue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete for everyone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your post is removed from every member&apos;s device, and replies to it say it was deleted. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete for everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the post for everyone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The spoken code for %s closed after three wrong tries: open Invite to make a new one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>widget</name>
    <message>
        <source>macOS is keeping Hearth off your local network, so it cannot find the people in your circles.

Open System Settings → Privacy &amp; Security → Local Network, turn Hearth on, then quit and open Hearth again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>Local network access is off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete for everyone?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your post is removed from every member&apos;s device, and replies to it say it was deleted. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete for everyone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
