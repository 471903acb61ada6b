from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from .pictures import MetadataFreeImageField, validate_picture

# Spaces, dashes, dots and brackets are allowed on the way in; pre_save strips them.
mobile_number = RegexValidator(
    r"^\+?(?:[\s\-().]*\d){6,15}[\s\-().]*$", "Enter 6 to 15 digits, optionally starting with +."
)


class Course(models.Model):
    """The default courses are created by a post_migrate receiver (students/receivers.py)."""

    name = models.CharField(max_length=50, unique=True)

    def __str__(self):
        return self.name


class Student(models.Model):
    name = models.CharField(max_length=50)
    age = models.PositiveSmallIntegerField(validators=[MinValueValidator(3), MaxValueValidator(120)])
    # Stored without spaces or dashes: a pre_save receiver normalizes it.
    mobileno = models.CharField(max_length=20, validators=[mobile_number])
    courses = models.ManyToManyField(Course, related_name="students", blank=True)

    def __str__(self):
        return self.name


class PersonalDetail(models.Model):
    """One per student, created by a post_save receiver when the Student is created."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="personal_detail")
    address = models.CharField(max_length=200, blank=True)
    dob = models.DateField(null=True, blank=True)  # a date of birth has no time of day
    # Stored re-encoded without EXIF (no GPS), size and pixels bounded: students/pictures.py.
    # A replaced or cleared picture's file is deleted after COMMIT: students/receivers.py.
    pic = MetadataFreeImageField(upload_to="students/", blank=True, validators=[validate_picture])

    def __str__(self):
        return f"Personal detail of {self.student}"
