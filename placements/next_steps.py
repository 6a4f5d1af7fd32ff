"""What happens next, in plain English, for each status: shown on the student's dashboard."""

from placements.workflow import Status

NEXT_STEPS = {
    Status.DRAFT: "Finish each section, check your answers, then submit. Your answers are saved as you go.",
    Status.SUBMITTED: "We have your application. We are checking whether we need consent from a parent or guardian.",
    Status.AWAITING_CONSENT: "We have emailed your parent or guardian a link to give consent. Ask them to check their "
    "email (and junk folder). We cannot match you to a placement until they have given consent.",
    Status.READY_FOR_MATCHING: "Your application is ready. When matching runs, we find you the best placement that "
    "your choices and the places available allow. You can still change your answers until then.",
    Status.MATCHED: "You have been matched to a placement. The host is checking the details and will confirm "
    "shortly: we will email you.",
    Status.OFFERED: "You have an offer. Accept or decline it before the deadline, or it will go to someone else.",
    Status.ACCEPTED: "You have accepted your placement. The host will run a few checks before confirming it.",
    Status.CONFIRMED: "Your placement is confirmed. Read the joining instructions in your email.",
    Status.IN_PROGRESS: "Your placement is under way. Enjoy it, and ask questions.",
    Status.COMPLETED: "Well done: you have completed your placement. You can download your certificate.",
    Status.DID_NOT_ATTEND: "The host recorded that you did not attend. Talk to your tutor about what happened.",
    Status.UNSUCCESSFUL: "We could not place you this round. Look at simulation sessions, virtual options and the "
    "next round, and talk to your tutor.",
    Status.DECLINED: "You declined your offer. You can apply again in the next round.",
    Status.EXPIRED: "Your offer expired before you answered. You can apply again in the next round.",
    Status.WITHDRAWN: "You withdrew your application. You can apply again in the next round.",
    Status.CANCELLED_BY_HOST: "The host had to cancel your placement. We are sorry: talk to your tutor about other "
    "options, and look out for the next round.",
    Status.CANCELLED_BY_STUDENT: "You cancelled your placement. You can apply again in the next round.",
}
